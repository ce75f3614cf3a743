"""The base of every aggregate: each event names its organization and its actor."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from okr.domain.clock import now


class OkrAggregate(Aggregate):
    """An aggregate owned by one organization."""

    if TYPE_CHECKING:
        organization_id: UUID

    class Event(Aggregate.Event):
        organization_id: UUID
        actor: str

        @staticmethod
        def create_timestamp() -> datetime:
            return now()

    class Created(Event, Aggregate.Created):
        def apply(self, aggregate: Any) -> None:
            aggregate.organization_id = self.organization_id

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("organization_id", self.organization_id)
        super().trigger_event(event_class, **kwargs)
