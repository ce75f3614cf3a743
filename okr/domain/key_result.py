"""Key results: measurable outcomes, their target revisions and their check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Self
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.errors import ConcurrencyConflict, InvalidInput
from okr.domain.metric_rules import check_direction, check_fixed_scale, check_value, default_target
from okr.domain.period import Period
from okr.domain.values import (
    Metric,
    check_confidence,
    check_unit,
    check_year,
    clean_text,
    clean_title,
    finite,
)


class Immutable:
    """A frozen value: a deep copy of an aggregate (each command works on one) shares it."""

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        return self


@dataclass(frozen=True)
class CheckIn(Immutable):
    """A value as it was reported; a correction is another check-in that supersedes it."""

    id: UUID
    value: float
    confidence: int
    note: str
    effective_at: datetime
    recorded_at: datetime
    author: str
    corrects_id: UUID | None = None
    reason: str = ""


@dataclass(frozen=True)
class TargetRevision(Immutable):
    """A target in force from `revised_at`."""

    target: float
    reason: str
    revised_at: datetime


def check_effective_at(effective_at: datetime) -> datetime:
    """A moment with a time zone, between 1900 and 2200."""
    if effective_at.tzinfo is None:
        raise InvalidInput("effectiveAt needs a time zone", "effectiveAt")
    check_year(effective_at.year, "effectiveAt")
    return effective_at


class KeyResult(OkrAggregate):
    """A measurable outcome of one objective."""

    if TYPE_CHECKING:
        objective_id: UUID
        title: str
        metric: Metric
        start: float
        original_target: float
        unit: str
        weight: float
        revisions: list[TargetRevision]
        check_ins: list[CheckIn]

    class Created(OkrAggregate.Created):
        objective_id: UUID
        title: str
        metric: str
        start: float
        target: float
        unit: str
        weight: float

        def apply(self, aggregate: KeyResult) -> None:
            super().apply(aggregate)
            aggregate.objective_id = self.objective_id
            aggregate.title = self.title
            aggregate.metric = Metric(self.metric)
            aggregate.start = self.start
            aggregate.original_target = self.target
            aggregate.unit = self.unit
            aggregate.weight = self.weight
            aggregate.revisions = []
            aggregate.check_ins = []

    class TargetRevised(OkrAggregate.Event):
        target: float
        previous_target: float
        reason: str

        def apply(self, aggregate: KeyResult) -> None:
            aggregate.revisions.append(TargetRevision(self.target, self.reason, self.timestamp))

    class CheckInRecorded(OkrAggregate.Event):
        check_in_id: UUID
        value: float
        confidence: int
        note: str
        effective_at: datetime

        def apply(self, aggregate: KeyResult) -> None:
            aggregate.check_ins.append(
                CheckIn(
                    self.check_in_id,
                    self.value,
                    self.confidence,
                    self.note,
                    self.effective_at,
                    self.timestamp,
                    self.actor,
                )
            )

    class CheckInCorrected(OkrAggregate.Event):
        check_in_id: UUID
        corrects_id: UUID
        value: float
        confidence: int
        note: str
        effective_at: datetime
        reason: str

        def apply(self, aggregate: KeyResult) -> None:
            aggregate.check_ins.append(
                CheckIn(
                    self.check_in_id,
                    self.value,
                    self.confidence,
                    self.note,
                    self.effective_at,
                    self.timestamp,
                    self.actor,
                    self.corrects_id,
                    self.reason,
                )
            )

    @classmethod
    def create(
        cls,
        actor: str,
        objective_id: UUID,
        organization_id: UUID,
        *,
        title: str,
        metric: Metric,
        start: float,
        target: float | None,
        unit: str = "NUMBER",
        weight: float = 1.0,
    ) -> KeyResult:
        """A key result; without a target, the metric's default (see `default_target`)."""
        start = check_value(metric, start, "start")
        target = check_value(metric, default_target(metric) if target is None else target, "target")
        check_fixed_scale(metric, start, target)
        check_direction(metric, start, target)
        weight = finite(weight, "weight")
        if weight <= 0:
            raise InvalidInput("weight must be above 0", "weight")
        return cls._create(
            cls.Created,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            objective_id=objective_id,
            title=clean_title(title),
            metric=metric.value,
            start=start,
            target=target,
            unit=check_unit(unit),
            weight=weight,
        )

    @property
    def target(self) -> float:
        """The target in force now."""
        return self.revisions[-1].target if self.revisions else self.original_target

    def target_at(self, moment: datetime) -> float:
        """The target that was in force at `moment`."""
        in_force = [r.target for r in self.revisions if r.revised_at <= moment]
        return in_force[-1] if in_force else self.original_target

    @property
    def current(self) -> CheckIn | None:
        """The latest value by effective date, corrections applied."""
        effective = self.effective_check_ins()
        return max(effective, key=lambda c: (c.effective_at, c.recorded_at)) if effective else None

    def effective_check_ins(self) -> list[CheckIn]:
        """Check-ins that no later correction supersedes."""
        superseded = {c.corrects_id for c in self.check_ins if c.corrects_id}
        return [c for c in self.check_ins if c.id not in superseded]

    def revise_target(self, actor: str, target: float, reason: str) -> None:
        new_target = check_value(self.metric, target, "target")
        check_fixed_scale(self.metric, self.start, new_target)
        check_direction(self.metric, self.start, new_target)
        if new_target == self.target:
            raise InvalidInput("the target is unchanged", "target")
        self.trigger_event(
            self.TargetRevised,
            actor=actor,
            target=new_target,
            previous_target=self.target,
            reason=clean_text(reason, "reason", required=True),
        )

    def record_check_in(
        self,
        actor: str,
        value: float,
        confidence: int,
        effective_at: datetime,
        note: str = "",
        *,
        period: Period,
    ) -> UUID:
        """Record a value effective at a moment of `period` (see `Period.check_effective`)."""
        check_in_id = uuid4()
        self.trigger_event(
            self.CheckInRecorded,
            actor=actor,
            check_in_id=check_in_id,
            value=check_value(self.metric, value),
            confidence=check_confidence(confidence),
            note=clean_text(note, "note"),
            effective_at=period.check_effective(check_effective_at(effective_at)),
        )
        return check_in_id

    def correct_check_in(
        self,
        actor: str,
        corrects_id: UUID,
        value: float,
        confidence: int,
        reason: str,
        effective_at: datetime | None = None,
        note: str = "",
        *,
        period: Period,
    ) -> UUID:
        """Supersede a current check-in; a new `effective_at` must fit `period`."""
        corrected = next((c for c in self.effective_check_ins() if c.id == corrects_id), None)
        if corrected is None and any(c.id == corrects_id for c in self.check_ins):
            raise ConcurrencyConflict(
                f"check-in {corrects_id} was already corrected; correct the latest value",
                "checkInId",
            )
        if corrected is None:
            raise InvalidInput(
                f"check-in {corrects_id} is not a current check-in of this key result",
                "checkInId",
            )
        check_in_id = uuid4()
        self.trigger_event(
            self.CheckInCorrected,
            actor=actor,
            check_in_id=check_in_id,
            corrects_id=corrects_id,
            value=check_value(self.metric, value),
            confidence=check_confidence(confidence),
            note=clean_text(note, "note"),
            effective_at=(
                corrected.effective_at
                if effective_at is None
                else period.check_effective(check_effective_at(effective_at))
            ),
            reason=clean_text(reason, "reason", required=True),
        )
        return check_in_id
