"""Logs an older version without today's checks could have written, for `okr check`.

A story builds aggregates straight from the domain and saves them in any order; check-ins and
alignments are triggered as bare events, since today's domain methods would refuse some.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel
from okr.services.application import OkrApplication

ACTOR = "system:test"
WEEK_ONE = datetime(2026, 10, 5, 12, tzinfo=UTC)


@dataclass
class Story:
    """Acme with Ann and Bo, a quarter and a year, written without the commands' checks."""

    app: OkrApplication
    org: Organization
    ann: Person
    bo: Person
    quarter: Period
    year: Period

    @classmethod
    def build(cls, app: OkrApplication, name: str = "Acme") -> Story:
        org = Organization.create(ACTOR, name)
        ann = Person.register(org.id, ACTOR, "Ann Lead")
        bo = Person.register(org.id, ACTOR, "Bo Builder")
        quarter = Period.create(org.id, ACTOR, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
        year = Period.create(org.id, ACTOR, "2026", date(2026, 1, 1), date(2026, 12, 31))
        story = cls(app, org, ann, bo, quarter, year)
        story.save(org, ann, bo, quarter, year)
        return story

    def save(self, *aggregates: OkrAggregate) -> int:
        """Save the aggregates' pending events; returns the position of the last one."""
        return self.app.save(*aggregates)[-1].notification.id

    def objective(
        self,
        *,
        directional: bool = False,
        lead: Person | None = None,
        level: ObjectiveLevel = ObjectiveLevel.COMPANY,
    ) -> Objective:
        """An objective of the quarter (or of the year, if directional) led by Ann, not saved."""
        return Objective.create(
            ACTOR,
            self.org,
            self.year if directional else self.quarter,
            lead or self.ann,
            title="Be the most reliable platform" if directional else "Make deploys boring",
            kind=ObjectiveKind.DIRECTIONAL if directional else ObjectiveKind.EXECUTABLE,
            level=level,
        )

    def key_result(self, objective: Objective) -> KeyResult:
        """A key result of `objective`, recorded on it; neither is saved."""
        key_result = KeyResult.create(
            ACTOR,
            objective.id,
            objective.organization_id,
            title="Deploys",
            metric=Metric.BINARY,
            start=0,
            target=1,
        )
        objective.record_key_result(ACTOR, key_result.id)
        return key_result

    def active(self, *, directional: bool = False) -> tuple[Objective, KeyResult]:
        """A saved, active objective with one key result."""
        objective = self.objective(directional=directional)
        key_result = self.key_result(objective)
        objective.activate(ACTOR)
        self.save(objective, key_result)
        return objective, key_result

    def check_in(self, key_result: KeyResult) -> int:
        key_result.trigger_event(
            KeyResult.CheckInRecorded,
            actor=ACTOR,
            check_in_id=uuid4(),
            value=1.0,
            confidence=7,
            note="",
            effective_at=WEEK_ONE,
        )
        return self.save(key_result)


def align(
    objective: Objective, *, parent: UUID | None = None, key_result: UUID | None = None
) -> None:
    """Record an alignment under `parent` or `key_result`, without any check."""
    objective.trigger_event(
        Objective.Aligned,
        actor=ACTOR,
        parent_objective_id=parent,
        parent_key_result_id=key_result,
    )
