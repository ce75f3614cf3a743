"""The `events` subscription: the stored events after a cursor, then live ones; never a gap."""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import AsyncGenerator, Iterable, Iterator
from functools import cached_property
from typing import Any

import strawberry
from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLResolveInfoHelpers,
    Node,
    OperationDefinitionNode,
    VariableNode,
)
from graphql.execution import Executor
from graphql.pyutils import AwaitableOrValue, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from okr.domain.errors import OkrError
from okr.graphql.audit_types import Event, EventFilter, event_cursor
from okr.graphql.broadcast import SubscriberOverflow
from okr.graphql.context import Info, RequestContext
from okr.graphql.event_filter import event_matcher
from okr.graphql.ids import event_position
from okr.graphql.permissions import SUBSCRIBE, Permission
from okr.graphql.queries import bad_input
from okr.views.audit_log import AuditFilter, audit_events

BACKLOG_PAGE = 500


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
        store = context.backend.views
        broadcaster = context.broadcaster
        who = context.who
        organization = str(who.organization_id)
        try:
            position = event_position(after)
            matcher = await event_matcher(
                store, organization, filter, audit=who.may(Permission.READ_AUDIT_LOG)
            )
        except OkrError as error:
            raise bad_input(error) from None
        subscriber = broadcaster.subscribe(organization)
        try:
            while position < subscriber.start:
                rows = await audit_events(
                    store, organization, position, BACKLOG_PAGE, AuditFilter()
                )
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
                if time.monotonic() - checked > context.recheck_seconds:
                    if not await broadcaster.tokens.live(who.token_id):
                        raise GraphQLError(
                            "the token was revoked", extensions={"code": "UNAUTHENTICATED"}
                        )
                    checked = time.monotonic()
                if int(row["position"]) > position:
                    position = int(row["position"])
                    if matcher.matches(row):
                        event = broadcaster.events.get(position)
                        if event is None:
                            event = Event.of(row)
                            broadcaster.events.put(position, event)
                        yield event
        finally:
            broadcaster.unsubscribe(subscriber)


class SharedEventResults(StrawberryGraphQLCoreExecutionContext):
    """Executes an event's selection once for all subscriptions of the same shape: the same
    organization and role, operation text and variables (the cursor they start after aside).
    Results with errors are not shared."""

    event_key: tuple[object, ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = detached_helpers(self)

    @cached_property
    def shape(self) -> tuple[object, ...] | None:
        context = self.context_value
        location = self.operation.loc
        if not isinstance(context, RequestContext) or context.caller is None or not location:
            return None
        cursor = cursor_variable(self.operation, self.fragment_definitions.values())
        variables = {k: v for k, v in self.variable_values.coerced.items() if k != cursor}
        return (
            context.caller.organization_id,
            context.caller.role,
            location.source.body,
            location.start,
            json.dumps(variables, sort_keys=True, default=repr),
        )

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        """An executor for one event, with a memo of its own. graphql-core's copy shares the
        subscription's memo of collected sub-fields, keyed by lists made anew for each event
        and kept alive by it: shared, it would grow by an entry per event for as long as the
        subscription runs."""
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        if isinstance(payload, Event) and isinstance(executor, SharedEventResults):
            shape = self.shape
            executor.event_key = None if shape is None else (*shape, payload.position)
        return executor

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[Any]:
        key = self.event_key
        if key is None:
            return super().execute_operation(serially)
        results = self.context_value.broadcaster.results
        result = results.get(key)
        if result is None:
            computed = super().execute_operation(serially)
            if not isinstance(computed, ExecutionResult):
                return computed
            result = computed
            if not result.errors:
                results.put(key, result)
        return result


def detached_helpers(executor: Executor[Any]) -> GraphQLResolveInfoHelpers:
    """The helpers resolvers get, without holding `executor`: graphql-core's are its bound
    methods, a cycle that leaves every operation, and its context (the request, the
    response), to the garbage collector."""
    executing = weakref.ref(executor)

    def track(values: Any) -> None:
        alive = executing()
        if alive is not None:
            alive.track_async_work(values)

    return GraphQLResolveInfoHelpers(gather=lambda values: gather_with_cancel(*values), track=track)


def cursor_variable(operation: OperationDefinitionNode, fragments: Iterable[Node]) -> str | None:
    """The variable given as the root field's `after` when nothing else uses it: it only
    decides where a subscription starts, not how an event reads."""
    root = operation.selection_set.selections[0]
    if not isinstance(root, FieldNode):
        return None
    after = next((a.value for a in root.arguments or () if a.name.value == "after"), None)
    if not isinstance(after, VariableNode):
        return None
    uses = [name for node in (operation.selection_set, *fragments) for name in variables(node)]
    return after.name.value if uses.count(after.name.value) == 1 else None


def variables(node: Node) -> Iterator[str]:
    """The names of the variables used under `node` (walked by hand: graphql-core's visitor
    leaves reference cycles for the garbage collector)."""
    if isinstance(node, VariableNode):
        yield node.name.value
        return
    for key in node.keys:
        value = getattr(node, key)
        for child in value if isinstance(value, tuple | list) else (value,):
            if isinstance(child, Node):
                yield from variables(child)
