"""Mutations on objectives, key results, check-ins, KPIs and recognition (MEMBER, ADMIN)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from okr.domain.errors import InvalidInput, OkrError
from okr.domain.values import FeedbackKind, InitiativeStatus, Metric, ObjectiveKind, ObjectiveLevel
from okr.graphql.context import Info
from okr.graphql.ids import decode_id
from okr.graphql.okr_types import CheckIn, KeyResult, Kpi, Objective, Recognition
from okr.graphql.payloads import (
    CheckInPayload,
    KeyResultPayload,
    KpiPayload,
    ObjectivePayload,
    RecognitionPayload,
    UserError,
    execute,
    fresh,
)
from okr.graphql.permissions import WRITE_OKRS
from okr.services.context import CommandResult, Context

strawberry.enum(FeedbackKind)
MAX_TEAMS = 20


async def objective_payload(
    info: Info, result: CommandResult | None, errors: list[UserError], raw: str
) -> ObjectivePayload:
    row = None if result is None else await fresh(info, "objectives", raw)
    return ObjectivePayload(
        objective=None if row is None else Objective.of(row), user_errors=errors
    )


async def key_result_payload(
    info: Info, result: CommandResult | None, errors: list[UserError]
) -> KeyResultPayload:
    row = None if result is None else await fresh(info, "key_results", str(result.id))
    return KeyResultPayload(
        key_result=None if row is None else KeyResult.of(row), user_errors=errors
    )


async def check_in_payload(
    info: Info, result: CommandResult | None, errors: list[UserError], key_result: UUID
) -> CheckInPayload:
    if result is None:
        return CheckInPayload(check_in=None, key_result=None, user_errors=errors)
    check_in = await fresh(info, "check_ins", str(result.id))
    row = await fresh(info, "key_results", str(key_result))
    return CheckInPayload(
        check_in=None if check_in is None else CheckIn.of(check_in),
        key_result=None if row is None else KeyResult.of(row),
        user_errors=errors,
    )


def objective_id(value: strawberry.ID) -> UUID:
    return decode_id(value, "Objective", "objectiveId")


def person_id(value: strawberry.ID, field: str = "personId") -> UUID:
    return decode_id(value, "Person", field)


def key_result_id(value: strawberry.ID) -> UUID:
    return decode_id(value, "KeyResult", "keyResultId")


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
    target: float = 1.0
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


def team_ids(values: list[strawberry.ID]) -> tuple[UUID, ...]:
    if len(values) > MAX_TEAMS:
        raise InvalidInput(f"at most {MAX_TEAMS} teams", "teamIds")
    return tuple(decode_id(v, "Team", "teamIds") for v in values)


@strawberry.type
class OkrMutation:
    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def create_objective(
        self,
        info: Info,
        input: CreateObjectiveInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.create_objective(
                ctx,
                title=input.title,
                kind=input.kind,
                level=input.level,
                period_id=decode_id(input.period_id, "Period", "periodId"),
                lead_id=person_id(input.lead_id, "leadId"),
                team_ids=team_ids(input.team_ids),
                description=input.description,
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def change_objective_lead(
        self,
        info: Info,
        input: ChangeObjectiveLeadInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.change_lead(
                ctx,
                objective_id(input.objective_id),
                person_id(input.lead_id, "leadId"),
                input.reason,
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def add_contributor(
        self,
        info: Info,
        input: ContributorInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.add_contributor(
                ctx, objective_id(input.objective_id), person_id(input.person_id)
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def remove_contributor(
        self,
        info: Info,
        input: ContributorInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.remove_contributor(
                ctx, objective_id(input.objective_id), person_id(input.person_id)
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def align_objective(
        self,
        info: Info,
        input: AlignObjectiveInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.align_objective(
                ctx,
                objective_id(input.objective_id),
                parent_objective_id=(
                    None
                    if input.parent_objective_id is None
                    else decode_id(input.parent_objective_id, "Objective", "parentObjectiveId")
                ),
                parent_key_result_id=(
                    None
                    if input.parent_key_result_id is None
                    else decode_id(input.parent_key_result_id, "KeyResult", "parentKeyResultId")
                ),
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def activate_objective(
        self,
        info: Info,
        input: ObjectiveInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.activate_objective(ctx, objective_id(input.objective_id)),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def archive_objective(
        self,
        info: Info,
        input: ObjectiveInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.archive_objective(ctx, objective_id(input.objective_id)),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def close_objective(
        self,
        info: Info,
        input: CloseObjectiveInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.close_objective(
                ctx, objective_id(input.objective_id), input.score, input.retrospective
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def reopen_objective(
        self,
        info: Info,
        input: ReopenObjectiveInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.reopen_objective(ctx, objective_id(input.objective_id), input.reason),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def add_initiative(
        self,
        info: Info,
        input: AddInitiativeInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        target = objective_id_or_blank(input.objective_id)
        result, errors = await execute(
            info,
            lambda ctx: app.add_initiative(
                ctx,
                objective_id(input.objective_id),
                input.title,
                person_id(input.owner_id, "ownerId"),
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, target)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def set_initiative_status(
        self,
        info: Info,
        input: SetInitiativeStatusInput,
    ) -> ObjectivePayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.set_initiative_status(
                ctx,
                objective_id(input.objective_id),
                decode_id(input.initiative_id, "Initiative", "initiativeId"),
                input.status,
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors, str(result.id if result else ""))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def add_key_result(
        self,
        info: Info,
        input: AddKeyResultInput,
    ) -> KeyResultPayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.add_key_result(
                ctx,
                objective_id(input.objective_id),
                title=input.title,
                metric=input.metric,
                start=input.start,
                target=input.target,
                unit=input.unit,
                weight=input.weight,
            ),
            input.idempotency_key,
        )
        return await key_result_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def revise_key_result_target(
        self,
        info: Info,
        input: ReviseKeyResultTargetInput,
    ) -> KeyResultPayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.revise_target(
                ctx, key_result_id(input.key_result_id), input.target, input.reason
            ),
            input.idempotency_key,
        )
        return await key_result_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def record_check_in(
        self,
        info: Info,
        input: RecordCheckInInput,
    ) -> CheckInPayload:
        app = info.context.ledger.app
        holder: list[UUID] = []

        def command(ctx: Context) -> CommandResult:
            holder.append(key_result_id(input.key_result_id))
            return app.record_check_in(
                ctx,
                holder[0],
                value=input.value,
                confidence=input.confidence,
                effective_at=input.effective_at,
                note=input.note,
            )

        result, errors = await execute(info, command, input.idempotency_key)
        return await check_in_payload(info, result, errors, holder[0] if holder else UUID(int=0))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def correct_check_in(
        self,
        info: Info,
        input: CorrectCheckInInput,
    ) -> CheckInPayload:
        app = info.context.ledger.app
        holder: list[UUID] = []

        def command(ctx: Context) -> CommandResult:
            holder.append(key_result_id(input.key_result_id))
            return app.correct_check_in(
                ctx,
                holder[0],
                check_in_id=decode_id(input.check_in_id, "CheckIn", "checkInId"),
                value=input.value,
                confidence=input.confidence,
                reason=input.reason,
                effective_at=input.effective_at,
                note=input.note,
            )

        result, errors = await execute(info, command, input.idempotency_key)
        return await check_in_payload(info, result, errors, holder[0] if holder else UUID(int=0))

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def create_kpi(
        self,
        info: Info,
        input: CreateKpiInput,
    ) -> KpiPayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.create_kpi(
                ctx,
                name=input.name,
                unit=input.unit,
                target=input.target,
                person_id=None if input.person_id is None else person_id(input.person_id),
                team_id=None
                if input.team_id is None
                else decode_id(input.team_id, "Team", "teamId"),
            ),
            input.idempotency_key,
        )
        row = None if result is None else await fresh(info, "kpis", str(result.id))
        return KpiPayload(kpi=None if row is None else Kpi.of(row), user_errors=errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def record_kpi_check_in(
        self,
        info: Info,
        input: RecordKpiCheckInInput,
    ) -> KpiPayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.record_kpi_check_in(
                ctx,
                decode_id(input.kpi_id, "Kpi", "kpiId"),
                value=input.value,
                effective_at=input.effective_at,
                note=input.note,
            ),
            input.idempotency_key,
        )
        row = None if result is None else await fresh(info, "kpis", str(result.id))
        return KpiPayload(kpi=None if row is None else Kpi.of(row), user_errors=errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def give_recognition(
        self,
        info: Info,
        input: GiveRecognitionInput,
    ) -> RecognitionPayload:
        app = info.context.ledger.app
        result, errors = await execute(
            info,
            lambda ctx: app.give_recognition(
                ctx,
                person_id=person_id(input.person_id),
                message=input.message,
                kind=input.kind,
                objective_id=None
                if input.objective_id is None
                else objective_id(input.objective_id),
                key_result_id=(
                    None if input.key_result_id is None else key_result_id(input.key_result_id)
                ),
            ),
            input.idempotency_key,
        )
        row = None if result is None else await fresh(info, "recognitions", str(result.id))
        return RecognitionPayload(
            recognition=None if row is None else Recognition.of(row), user_errors=errors
        )


def objective_id_or_blank(value: strawberry.ID) -> str:
    """The raw objective id for the payload, or '' when `value` is not one (then an error)."""
    try:
        return str(objective_id(value))
    except OkrError:
        return ""
