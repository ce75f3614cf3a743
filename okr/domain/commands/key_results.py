"""Commands on key results and their check-ins, KPIs and recognition."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from okr.domain.commands.base import Command
from okr.domain.metric_rules import default_target
from okr.domain.values import FeedbackKind, Metric


@dataclass(frozen=True)
class AddKeyResult(Command, retry=True):
    """Without a target, the metric's default: 100 for a MILESTONE, else 1 (and a retry that
    leaves it out is the same command as one that gives the default)."""

    objective_id: UUID
    title: str
    metric: Metric
    start: float = 0.0
    target: float | None = None
    unit: str = "NUMBER"
    weight: float = 1.0

    def fingerprint(self) -> str:
        target = default_target(self.metric) if self.target is None else self.target
        return Command.fingerprint(replace(self, target=target))


@dataclass(frozen=True)
class ReviseKeyResultTarget(Command, command_name="revise_target"):
    key_result_id: UUID
    target: float
    reason: str


@dataclass(frozen=True)
class RecordCheckIn(Command, retry=True):
    key_result_id: UUID
    value: float
    confidence: int
    effective_at: datetime
    note: str = ""


@dataclass(frozen=True)
class CorrectCheckIn(Command, retry=True):
    """Supersede `check_in_id`; refused with CONFLICT if it was already superseded."""

    key_result_id: UUID
    check_in_id: UUID
    value: float
    confidence: int
    reason: str
    effective_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class CreateKpi(Command):
    name: str
    unit: str = "NUMBER"
    target: float | None = None
    person_id: UUID | None = None
    team_id: UUID | None = None


@dataclass(frozen=True)
class RecordKpiCheckIn(Command, retry=True):
    kpi_id: UUID
    value: float
    effective_at: datetime
    note: str = ""


@dataclass(frozen=True)
class GiveRecognition(Command):
    person_id: UUID
    message: str
    kind: FeedbackKind = FeedbackKind.RECOGNITION
    objective_id: UUID | None = None
    key_result_id: UUID | None = None
