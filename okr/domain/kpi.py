"""KPIs and individual targets: standing metrics that are not OKRs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.key_result import check_effective_at
from okr.domain.values import check_unit, clean_text, clean_title, finite


class Kpi(OkrAggregate):
    """A standing metric of the organization, a team or one person."""

    if TYPE_CHECKING:
        name: str
        unit: str
        target: float | None
        person_id: UUID | None
        team_id: UUID | None
        values: list[tuple[datetime, float]]

    class Created(OkrAggregate.Created):
        name: str
        unit: str
        target: float | None
        person_id: UUID | None
        team_id: UUID | None

        def apply(self, aggregate: Kpi) -> None:
            super().apply(aggregate)
            aggregate.name = self.name
            aggregate.unit = self.unit
            aggregate.target = self.target
            aggregate.person_id = self.person_id
            aggregate.team_id = self.team_id
            aggregate.values = []

    class CheckInRecorded(OkrAggregate.Event):
        value: float
        effective_at: datetime
        note: str

        def apply(self, aggregate: Kpi) -> None:
            aggregate.values.append((self.effective_at, self.value))

    @classmethod
    def create(
        cls,
        organization_id: UUID,
        actor: str,
        *,
        name: str,
        unit: str = "NUMBER",
        target: float | None = None,
        person_id: UUID | None = None,
        team_id: UUID | None = None,
    ) -> Kpi:
        return cls._create(
            cls.Created,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            name=clean_title(name, "name"),
            unit=check_unit(unit),
            target=None if target is None else finite(target, "target"),
            person_id=person_id,
            team_id=team_id,
        )

    def record_check_in(
        self, actor: str, value: float, effective_at: datetime, note: str = ""
    ) -> None:
        self.trigger_event(
            self.CheckInRecorded,
            actor=actor,
            value=finite(value, "value"),
            effective_at=check_effective_at(effective_at),
            note=clean_text(note, "note"),
        )
