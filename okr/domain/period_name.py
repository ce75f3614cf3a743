"""A period's name, claimed within its organization: names stay unique because the claim's
id follows from the organization and the name, so two periods of one name meet on it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from okr.domain.base import OkrAggregate
from okr.domain.period import period_name_key


def period_name_id(organization_id: UUID, name: str) -> UUID:
    """The id of the claim on `name` (compared by `period_name_key`) in the organization."""
    return uuid5(NAMESPACE_URL, f"okr:period-name:{organization_id}:{period_name_key(name)}")


class PeriodName(OkrAggregate):
    """The claim of one period on a name of its organization."""

    if TYPE_CHECKING:
        period_id: UUID
        name: str

    class Claimed(OkrAggregate.Created):
        period_id: UUID
        name: str

        def apply(self, aggregate: PeriodName) -> None:
            super().apply(aggregate)
            aggregate.period_id = self.period_id
            aggregate.name = self.name

    @classmethod
    def claim(cls, organization_id: UUID, actor: str, name: str, period_id: UUID) -> PeriodName:
        """Claim `name` for the period `period_id`."""
        return cls._create(
            cls.Claimed,
            id=period_name_id(organization_id, name),
            organization_id=organization_id,
            actor=actor,
            period_id=period_id,
            name=name,
        )
