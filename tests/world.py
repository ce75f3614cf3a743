"""A small organization to tell test stories in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID

import pytest

from okr.domain.commands import (
    ActivateObjective,
    AddKeyResult,
    AddTeamMember,
    CreateObjective,
    CreatePeriod,
    CreateTeam,
    RecordCheckIn,
    RegisterPerson,
)
from okr.domain.errors import OkrError
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.services.application import OkrApplication
from okr.services.context import Context

E = TypeVar("E", bound=OkrError)
WEEK_ONE = datetime(2026, 10, 5, 8, tzinfo=UTC)


@dataclass
class World:
    """Acme, with two people in one team, a quarter and a year."""

    app: OkrApplication
    ctx: Context
    ann: UUID
    bo: UUID
    team: UUID
    quarter: UUID
    year: UUID

    @classmethod
    def build(cls, app: OkrApplication, name: str = "Acme") -> World:
        org = app.create_organization("system:test", name).id
        ctx = Context(org, "system:test")
        ann = app.handle(ctx, RegisterPerson("Ann Lead")).id
        bo = app.handle(ctx, RegisterPerson("Bo Builder")).id
        team = app.handle(ctx, CreateTeam("Platform")).id
        app.handle(ctx, AddTeamMember(team, ann))
        app.handle(ctx, AddTeamMember(team, bo))
        quarter = app.handle(ctx, CreatePeriod("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))).id
        year = app.handle(ctx, CreatePeriod("2026", date(2026, 1, 1), date(2026, 12, 31))).id
        return cls(app, ctx, ann, bo, team, quarter, year)

    def objective(self, **overrides: Any) -> UUID:
        """An executable team objective of the quarter, led by Ann, unless overridden."""
        fields: dict[str, Any] = {
            "title": "Make deploys boring",
            "kind": ObjectiveKind.EXECUTABLE,
            "level": ObjectiveLevel.TEAM,
            "period_id": self.quarter,
            "lead_id": self.ann,
            "team_ids": (self.team,),
        } | overrides
        return self.app.handle(self.ctx, CreateObjective(**fields)).id

    def directional(self) -> UUID:
        return self.objective(
            title="Be the most reliable platform",
            kind=ObjectiveKind.DIRECTIONAL,
            level=ObjectiveLevel.COMPANY,
            period_id=self.year,
            team_ids=(),
        )

    def key_result(self, objective_id: UUID, **overrides: Any) -> UUID:
        fields: dict[str, Any] = {
            "title": "Deploy lead time falls from 10 to 2 days",
            "metric": Metric.DECREASE_TO,
            "start": 10,
            "target": 2,
        } | overrides
        return self.app.handle(self.ctx, AddKeyResult(objective_id, **fields)).id

    def active_key_result(self, **overrides: Any) -> UUID:
        """A key result of a new objective, activated so that it takes check-ins."""
        objective_id = self.objective()
        key_result_id = self.key_result(objective_id, **overrides)
        self.activate(objective_id)
        return key_result_id

    def check_in(self, key_result_id: UUID, value: float, confidence: int = 7) -> UUID:
        """Check in on WEEK_ONE, activating a draft objective first (check-ins need an
        active objective)."""
        self.activate(self.app.load(self.ctx, KeyResult, key_result_id).objective_id)
        return self.app.handle(
            self.ctx,
            RecordCheckIn(key_result_id, value=value, confidence=confidence, effective_at=WEEK_ONE),
        ).id

    def activate(self, objective_id: UUID) -> None:
        """Activate the objective if it is still a draft."""
        if self.app.load(self.ctx, Objective, objective_id).status is ObjectiveStatus.DRAFT:
            self.app.handle(self.ctx, ActivateObjective(objective_id))

    @property
    def event_count(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def refuse(self, error: type[E], command: Callable[[], object]) -> E:
        """Run `command`, expect `error`, and check that no event was recorded."""
        before = self.event_count
        with pytest.raises(error) as raised:
            command()
        assert self.event_count == before, "a refused command recorded an event"
        return raised.value
