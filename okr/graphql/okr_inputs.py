"""The inputs of the OKR mutations; every one may carry an idempotency key."""

from __future__ import annotations

from datetime import datetime

import strawberry

from okr.domain.values import FeedbackKind, InitiativeStatus, Metric, ObjectiveKind, ObjectiveLevel

strawberry.enum(FeedbackKind)


@strawberry.input
class CreateObjectiveInput:
    title: str
    kind: ObjectiveKind
    level: ObjectiveLevel
    period_id: strawberry.ID
    lead_id: strawberry.ID
    team_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    description: str = ""
    idempotency_key: str | None = None


@strawberry.input
class ChangeObjectiveLeadInput:
    objective_id: strawberry.ID
    lead_id: strawberry.ID
    reason: str
    idempotency_key: str | None = None


@strawberry.input
class ContributorInput:
    objective_id: strawberry.ID
    person_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class AlignObjectiveInput:
    objective_id: strawberry.ID
    parent_objective_id: strawberry.ID | None = None
    parent_key_result_id: strawberry.ID | None = None
    idempotency_key: str | None = None


@strawberry.input
class UnalignObjectiveInput:
    objective_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.input
class ObjectiveInput:
    objective_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class CloseObjectiveInput:
    objective_id: strawberry.ID
    score: float
    retrospective: str = ""
    idempotency_key: str | None = None


@strawberry.input
class ReopenObjectiveInput:
    objective_id: strawberry.ID
    reason: str
    idempotency_key: str | None = None


@strawberry.input
class AddInitiativeInput:
    objective_id: strawberry.ID
    title: str
    owner_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class SetInitiativeStatusInput:
    objective_id: strawberry.ID
    initiative_id: strawberry.ID
    status: InitiativeStatus
    idempotency_key: str | None = None


@strawberry.input
class AddKeyResultInput:
    objective_id: strawberry.ID
    title: str
    metric: Metric
    start: float = 0.0
    target: float | None = strawberry.field(
        default=None, description="Defaults to 100 for a MILESTONE and to 1 otherwise."
    )
    unit: str = "NUMBER"
    weight: float = 1.0
    idempotency_key: str | None = None


@strawberry.input
class ReviseKeyResultTargetInput:
    key_result_id: strawberry.ID
    target: float
    reason: str
    idempotency_key: str | None = None


@strawberry.input
class RecordCheckInInput:
    key_result_id: strawberry.ID
    value: float
    confidence: int
    effective_at: datetime
    note: str = ""
    idempotency_key: str | None = None


@strawberry.input
class CorrectCheckInInput:
    key_result_id: strawberry.ID
    check_in_id: strawberry.ID
    value: float
    confidence: int
    reason: str
    effective_at: datetime | None = None
    note: str = ""
    idempotency_key: str | None = None


@strawberry.input
class CreateKpiInput:
    name: str
    unit: str = "NUMBER"
    target: float | None = None
    person_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None
    idempotency_key: str | None = None


@strawberry.input
class RecordKpiCheckInInput:
    kpi_id: strawberry.ID
    value: float
    effective_at: datetime
    note: str = ""
    idempotency_key: str | None = None


@strawberry.input
class GiveRecognitionInput:
    person_id: strawberry.ID
    message: str
    kind: FeedbackKind = FeedbackKind.RECOGNITION
    objective_id: strawberry.ID | None = None
    key_result_id: strawberry.ID | None = None
    idempotency_key: str | None = None
