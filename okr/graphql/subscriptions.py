"""The `events` subscription: replay after a cursor, then stream live; never a gap."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from okr.domain.errors import OkrError
from okr.graphql.audit_types import Event, EventFilter, event_cursor
from okr.graphql.auth import still_valid
from okr.graphql.broadcast import SubscriberOverflow
from okr.graphql.context import Info
from okr.graphql.event_filter import event_matcher
from okr.graphql.ids import event_position
from okr.graphql.permissions import SUBSCRIBE, Permission
from okr.graphql.queries import bad_input
from okr.projections.audit_log import AuditFilter, audit_events

REPLAY_PAGE = 500
RECHECK_SECONDS = 5.0


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=[SUBSCRIBE],
        description="Every event after `after` (a cursor), then live ones, in order. "
        "Each carries its cursor: reconnect with the last one to resume without a gap.",
    )
    async def events(
        self,
        info: Info,
        after: str | None = None,
        filter: EventFilter | None = None,
    ) -> AsyncGenerator[Event, None]:
        context = info.context
        store = context.ledger.store
        organization = str(context.who.organization_id)
        try:
            position = event_position(after)
            matcher = await event_matcher(
                store, organization, filter, audit=context.who.may(Permission.READ_AUDIT_LOG)
            )
        except OkrError as error:
            raise bad_input(error) from None
        subscriber = context.broadcaster.subscribe(organization)
        try:
            while position < subscriber.start:
                rows = await audit_events(store, organization, position, REPLAY_PAGE, AuditFilter())
                rows = [r for r in rows if r["position"] <= subscriber.start]
                if not rows:
                    break
                for row in rows:
                    if matcher.matches(row):
                        yield Event.of(row)
                position = int(rows[-1]["position"])
            position = max(position, subscriber.start)
            checked = time.monotonic()
            while True:
                try:
                    row = await subscriber.next()
                except SubscriberOverflow:
                    raise GraphQLError(
                        "the subscriber fell too far behind and was dropped; "
                        "resubscribe with after set to the last cursor received",
                        extensions={"code": "SUBSCRIBER_TOO_SLOW", "after": event_cursor(position)},
                    ) from None
                if time.monotonic() - checked > RECHECK_SECONDS:
                    if not await still_valid(context.ledger, context.who):
                        raise GraphQLError(
                            "the token was revoked", extensions={"code": "UNAUTHENTICATED"}
                        )
                    checked = time.monotonic()
                if int(row["position"]) > position:
                    position = int(row["position"])
                    if matcher.matches(row):
                        yield Event.of(row)
        finally:
            context.broadcaster.unsubscribe(subscriber)
