"""Events of the audit log, connections and page info."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.scalars import JSON

from okr.graphql.ids import cursor, global_id
from okr.views.database import Row

T = TypeVar("T")
HIDDEN_FIELDS = frozenset({"secret_hash"})


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(description="True when `after` was given.")
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(
    rows: list[Row], size: int, make: Callable[[Row], tuple[str, T]], after: str | None
) -> Connection[T]:
    """A page of `size` from `rows` (fetched with one extra row to tell if more follow)."""
    edges = [Edge(cursor=c, node=n) for c, n in map(make, rows[:size])]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


def visible_payload(text: str) -> Any:
    """An event's payload as the API shows it: token hashes are never shown."""
    return {k: v for k, v in json.loads(text).items() if k not in HIDDEN_FIELDS}


def event_cursor(position: int) -> str:
    return cursor("event", position)


@strawberry.type(description="One immutable event of the log, with its place in global order.")
class Event:
    cursor: str = strawberry.field(description="Resume after this event with `after`.")
    position: int
    type: str
    aggregate_id: strawberry.ID
    aggregate_type: str
    aggregate_version: int
    occurred_at: datetime
    actor: str
    organization_id: strawberry.ID
    payload: JSON

    @classmethod
    def of(cls, row: Row) -> Event:
        return cls(
            cursor=event_cursor(int(row["position"])),
            position=int(row["position"]),
            type=row["type"],
            aggregate_id=strawberry.ID(global_id(row["aggregate_type"], row["aggregate_id"])),
            aggregate_type=row["aggregate_type"],
            aggregate_version=int(row["aggregate_version"]),
            occurred_at=datetime.fromisoformat(row["recorded_at"]),
            actor=row["actor"],
            organization_id=strawberry.ID(global_id("Organization", row["organization_id"])),
            payload=visible_payload(row["payload"]),
        )


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
