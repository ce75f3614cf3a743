"""A small organization to tell test stories in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID

import pytest

from okr.domain.errors import OkrError
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel
from okr.services.application import OkrApplication
from okr.services.context import Context

E = TypeVar("E", bound=OkrError)
WEEK_ONE = datetime(2026, 10, 5, 12, tzinfo=UTC)


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
        ann = app.register_person(ctx, "Ann Lead").id
        bo = app.register_person(ctx, "Bo Builder").id
        team = app.create_team(ctx, "Platform").id
        app.add_team_member(ctx, team, ann)
        app.add_team_member(ctx, team, bo)
        quarter = app.create_period(ctx, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)).id
        year = app.create_period(ctx, "2026", date(2026, 1, 1), date(2026, 12, 31)).id
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
        return self.app.create_objective(self.ctx, **fields).id

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
        return self.app.add_key_result(self.ctx, objective_id, **fields).id

    def check_in(self, key_result_id: UUID, value: float, confidence: int = 7) -> UUID:
        return self.app.record_check_in(
            self.ctx, key_result_id, value=value, confidence=confidence, effective_at=WEEK_ONE
        ).id

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
