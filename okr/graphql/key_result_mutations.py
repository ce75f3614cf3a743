"""Mutations on key results, check-ins, KPIs and recognition."""

from __future__ import annotations

from uuid import UUID

import strawberry

from okr.domain import commands as c
from okr.graphql.context import Info
from okr.graphql.ids import decode_id, key_result_id, objective_id, person_id
from okr.graphql.key_result_types import CheckIn, KeyResult
from okr.graphql.kpi_types import Kpi, Recognition
from okr.graphql.node import fresh
from okr.graphql.okr_inputs import (
    AddKeyResultInput,
    CorrectCheckInInput,
    CreateKpiInput,
    GiveRecognitionInput,
    RecordCheckInInput,
    RecordKpiCheckInInput,
    ReviseKeyResultTargetInput,
)
from okr.graphql.payloads import (
    CheckInPayload,
    KeyResultPayload,
    KpiPayload,
    RecognitionPayload,
    UserError,
    changed,
    execute,
)
from okr.graphql.permissions import WRITE_OKRS
from okr.services.context import CommandResult
from okr.views.check_in_history import check_in_by_id
from okr.views.key_results import key_result_by_id
from okr.views.kpis import kpi_by_id
from okr.views.recognitions import recognition_by_id

MAX_TEAMS = 20


async def key_result_payload(
    info: Info, result: CommandResult | None, errors: list[UserError]
) -> KeyResultPayload:
    return KeyResultPayload(
        key_result=await changed(info, result, key_result_by_id, KeyResult.of), user_errors=errors
    )


async def check_in_payload(
    info: Info, result: CommandResult | None, errors: list[UserError], key_result: UUID
) -> CheckInPayload:
    if result is None:
        return CheckInPayload(check_in=None, key_result=None, user_errors=errors)
    check_in = await fresh(info, check_in_by_id, str(result.id))
    row = await fresh(info, key_result_by_id, str(key_result))
    return CheckInPayload(
        check_in=None if check_in is None else CheckIn.of(check_in),
        key_result=None if row is None else KeyResult.of(row),
        user_errors=errors,
    )


@strawberry.type
class KeyResultMutation:
    """Mutations on key results, check-ins, KPIs and recognition (MEMBER, ADMIN)."""

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def add_key_result(
        self,
        info: Info,
        input: AddKeyResultInput,
    ) -> KeyResultPayload:
        result, errors = await execute(
            info,
            lambda: c.AddKeyResult(
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
        result, errors = await execute(
            info,
            lambda: c.ReviseKeyResultTarget(
                key_result_id(input.key_result_id), input.target, input.reason
            ),
            input.idempotency_key,
        )
        return await key_result_payload(info, result, errors)

    @strawberry.mutation(
        permission_classes=[WRITE_OKRS],
        description=(
            "Record a value on a key result of an ACTIVE objective. effectiveAt lies within "
            "the period (or up to 7 days after its end) and not in the future; otherwise "
            "INVALID_INPUT. Re-run on fresh state if what it read changed meanwhile."
        ),
    )
    async def record_check_in(
        self,
        info: Info,
        input: RecordCheckInInput,
    ) -> CheckInPayload:
        holder: list[UUID] = []

        def command() -> c.RecordCheckIn:
            holder.append(key_result_id(input.key_result_id))
            return c.RecordCheckIn(
                holder[0],
                value=input.value,
                confidence=input.confidence,
                effective_at=input.effective_at,
                note=input.note,
            )

        result, errors = await execute(info, command, input.idempotency_key)
        return await check_in_payload(info, result, errors, holder[0] if holder else UUID(int=0))

    @strawberry.mutation(
        permission_classes=[WRITE_OKRS],
        description=(
            "Supersede a current check-in with a corrected value and a reason. Correcting a "
            "check-in that was already corrected is a CONFLICT: correct the latest value."
        ),
    )
    async def correct_check_in(
        self,
        info: Info,
        input: CorrectCheckInInput,
    ) -> CheckInPayload:
        holder: list[UUID] = []

        def command() -> c.CorrectCheckIn:
            holder.append(key_result_id(input.key_result_id))
            return c.CorrectCheckIn(
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
        result, errors = await execute(
            info,
            lambda: c.CreateKpi(
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
        return KpiPayload(kpi=await changed(info, result, kpi_by_id, Kpi.of), user_errors=errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def record_kpi_check_in(
        self,
        info: Info,
        input: RecordKpiCheckInInput,
    ) -> KpiPayload:
        result, errors = await execute(
            info,
            lambda: c.RecordKpiCheckIn(
                decode_id(input.kpi_id, "Kpi", "kpiId"),
                value=input.value,
                effective_at=input.effective_at,
                note=input.note,
            ),
            input.idempotency_key,
        )
        return KpiPayload(kpi=await changed(info, result, kpi_by_id, Kpi.of), user_errors=errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def give_recognition(
        self,
        info: Info,
        input: GiveRecognitionInput,
    ) -> RecognitionPayload:
        result, errors = await execute(
            info,
            lambda: c.GiveRecognition(
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
        return RecognitionPayload(
            recognition=await changed(info, result, recognition_by_id, Recognition.of),
            user_errors=errors,
        )
