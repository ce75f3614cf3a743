"""Reading an aggregate's past: as it was at a version or a moment, and its event listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application

from okr.domain.base import OkrAggregate
from okr.domain.errors import NotFound
from okr.services.context import Context

A = TypeVar("A", bound=OkrAggregate)
_BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})


@dataclass(frozen=True)
class EventRecord:
    """One stored event of an aggregate, for history listings."""

    version: int
    type: str
    occurred_at: datetime
    actor: str
    organization_id: UUID
    payload: dict[str, Any]


def describe(event: OkrAggregate.Event) -> EventRecord:
    """The listing form of a domain event."""
    payload = {k: v for k, v in vars(event).items() if k not in _BASE_FIELDS}
    return EventRecord(
        version=event.originator_version,
        type=type(event).__qualname__,
        occurred_at=event.timestamp,
        actor=payload.pop("actor"),
        organization_id=payload.pop("organization_id"),
        payload=payload,
    )


class HistoryReads(Application[UUID]):
    """History reads that fold stored events into aggregates, within the caller's organization."""

    def load(
        self,
        context: Context,
        kind: type[A],
        aggregate_id: UUID,
        *,
        version: int | None = None,
        at: datetime | None = None,
    ) -> A:
        """The aggregate now, at `version`, or as it was at time `at`."""
        return self.as_of(context.organization_id, kind, aggregate_id, at, version=version)

    def as_of(
        self,
        organization_id: UUID,
        kind: type[A],
        aggregate_id: UUID,
        at: datetime | None,
        *,
        version: int | None = None,
    ) -> A:
        """The aggregate as it was known at time `at` (now when None), up to `version` if
        given; NotFound when it did not exist then, is not a `kind`, or is another
        organization's."""
        found: Any = None
        for stored in self.events.get(aggregate_id, lte=version):
            event = cast(OkrAggregate.Event, stored)
            if at is not None and event.timestamp > at:
                break
            found = event.mutate(found)
        if not isinstance(found, kind) or found.organization_id != organization_id:
            raise NotFound(kind.__name__, aggregate_id, "id")
        return found

    def history(self, context: Context, aggregate_id: UUID) -> list[EventRecord]:
        """Every event of one aggregate, oldest first, with its actor and time."""
        records = [describe(cast(OkrAggregate.Event, e)) for e in self.events.get(aggregate_id)]
        if not records or records[0].organization_id != context.organization_id:
            raise NotFound("Aggregate", aggregate_id, "id")
        return records
