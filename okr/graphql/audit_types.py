"""Events of the audit log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from okr.graphql.context import Info
from okr.graphql.ids import cursor
from okr.graphql.node import FoundNode, store_and_organization
from okr.graphql.permissions import Permission
from okr.views.audit_log import AuditFilter, audit_events
from okr.views.database import Row

POSITION_DIGITS = 18
HIDDEN_FIELDS = frozenset({"secret_hash"})


def visible_payload(text: str) -> Any:
    """An event's payload as the API shows it: token hashes are never shown."""
    return {k: v for k, v in json.loads(text).items() if k not in HIDDEN_FIELDS}


def event_cursor(position: int) -> str:
    return cursor("event", position)


@strawberry.type(description="One immutable event of the log, with its place in global order.")
class Event(FoundNode):
    id: relay.NodeID[str]
    cursor: str = strawberry.field(description="Resume after this event with `after`.")
    position: int
    type: str
    aggregate_id: relay.GlobalID
    aggregate_type: str
    aggregate_version: int
    occurred_at: datetime
    actor: str
    organization_id: relay.GlobalID
    payload: JSON

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=str(row["position"]),
            cursor=event_cursor(int(row["position"])),
            position=int(row["position"]),
            type=row["type"],
            aggregate_id=relay.GlobalID(row["aggregate_type"], row["aggregate_id"]),
            aggregate_type=row["aggregate_type"],
            aggregate_version=int(row["aggregate_version"]),
            occurred_at=datetime.fromisoformat(row["recorded_at"]),
            actor=row["actor"],
            organization_id=relay.GlobalID("Organization", row["organization_id"]),
            payload=visible_payload(row["payload"]),
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        """The organization's event at this position, for a caller who may read the log."""
        if not info.context.who.may(Permission.READ_AUDIT_LOG):
            return None
        if not raw_id.isdigit() or len(raw_id) > POSITION_DIGITS:
            return None
        position = int(raw_id)
        rows = await audit_events(*store_and_organization(info), position - 1, 1, AuditFilter())
        return cls.of(rows[0]) if rows and int(rows[0]["position"]) == position else None


@strawberry.input
class EventFilter:
    types: list[str] | None = None
    aggregate_id: strawberry.ID | None = None
    objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="The objective's own events and its key results'."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team's events and those of the objectives it owns."
    )
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None
