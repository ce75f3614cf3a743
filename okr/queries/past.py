"""What the as-of questions need from the write side: aggregates as they were known."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from okr.domain.base import OkrAggregate

A = TypeVar("A", bound=OkrAggregate)


class PastAggregates(Protocol):
    """Aggregates folded from the stored events up to a moment."""

    def as_of(self, organization_id: UUID, kind: type[A], aggregate_id: UUID, at: datetime) -> A:
        """The aggregate as it was known at `at`; raises okr.domain.errors.NotFound when it
        did not exist then, is not a `kind`, or belongs to another organization."""
        ...


class Tenant(Protocol):
    """Whoever asks, as far as these questions care: their organization."""

    @property
    def organization_id(self) -> UUID: ...
