"""Mutations that change objectives: lifecycle, lead, contributors, alignment, initiatives."""

from __future__ import annotations

from uuid import UUID

import strawberry

from okr.domain import commands as c
from okr.domain.errors import InvalidInput, OkrError
from okr.graphql.context import Info
from okr.graphql.ids import decode_id, objective_id, person_id
from okr.graphql.node import fresh
from okr.graphql.objective_types import Objective
from okr.graphql.okr_inputs import (
    AddInitiativeInput,
    AlignObjectiveInput,
    ChangeObjectiveLeadInput,
    CloseObjectiveInput,
    ContributorInput,
    CreateObjectiveInput,
    ObjectiveInput,
    ReopenObjectiveInput,
    SetInitiativeStatusInput,
    UnalignObjectiveInput,
)
from okr.graphql.payloads import (
    ObjectivePayload,
    UserError,
    execute,
)
from okr.graphql.permissions import WRITE_OKRS
from okr.services.context import CommandResult
from okr.views.objectives import objective_by_id

MAX_TEAMS = 20


async def objective_payload(
    info: Info, result: CommandResult | None, errors: list[UserError], raw: str | None = None
) -> ObjectivePayload:
    """The objective the command changed (`raw`, by default the id the command returned)."""
    if result is None:
        return ObjectivePayload(objective=None, user_errors=errors)
    row = await fresh(info, objective_by_id, raw or str(result.id))
    return ObjectivePayload(
        objective=None if row is None else Objective.of(row), user_errors=errors
    )


def team_ids(values: list[strawberry.ID]) -> tuple[UUID, ...]:
    if len(values) > MAX_TEAMS:
        raise InvalidInput(f"at most {MAX_TEAMS} teams", "teamIds")
    return tuple(decode_id(v, "Team", "teamIds") for v in values)


def objective_id_or_blank(value: strawberry.ID) -> str:
    """The raw objective id for the payload, or '' when `value` is not one (then an error)."""
    try:
        return str(objective_id(value))
    except OkrError:
        return ""


async def change_contributor(
    info: Info,
    input: ContributorInput,
    command: type[c.AddContributor] | type[c.RemoveContributor],
) -> ObjectivePayload:
    """Add a contributor to an objective, or take one off."""
    result, errors = await execute(
        info,
        lambda: command(objective_id(input.objective_id), person_id(input.person_id)),
        input.idempotency_key,
    )
    return await objective_payload(info, result, errors)


async def lifecycle_step(
    info: Info,
    input: ObjectiveInput,
    command: type[c.ActivateObjective] | type[c.ArchiveObjective],
) -> ObjectivePayload:
    """Activate or archive an objective."""
    result, errors = await execute(
        info, lambda: command(objective_id(input.objective_id)), input.idempotency_key
    )
    return await objective_payload(info, result, errors)


@strawberry.type
class ObjectiveMutation:
    """Mutations that change objectives (MEMBER, ADMIN)."""

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def create_objective(
        self,
        info: Info,
        input: CreateObjectiveInput,
    ) -> ObjectivePayload:
        result, errors = await execute(
            info,
            lambda: c.CreateObjective(
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
        return await objective_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def change_objective_lead(
        self,
        info: Info,
        input: ChangeObjectiveLeadInput,
    ) -> ObjectivePayload:
        result, errors = await execute(
            info,
            lambda: c.ChangeObjectiveLead(
                objective_id(input.objective_id),
                person_id(input.lead_id, "leadId"),
                input.reason,
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def add_contributor(self, info: Info, input: ContributorInput) -> ObjectivePayload:
        return await change_contributor(info, input, c.AddContributor)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def remove_contributor(self, info: Info, input: ContributorInput) -> ObjectivePayload:
        return await change_contributor(info, input, c.RemoveContributor)

    @strawberry.mutation(
        permission_classes=[WRITE_OKRS],
        description=(
            "Align an executable objective under a directional objective or a key result "
            "(exactly one). The parent must not be archived, its period must cover the "
            "objective's, and no cycle may form (ALIGNMENT_CYCLE)."
        ),
    )
    async def align_objective(
        self,
        info: Info,
        input: AlignObjectiveInput,
    ) -> ObjectivePayload:
        result, errors = await execute(
            info,
            lambda: c.AlignObjective(
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
        return await objective_payload(info, result, errors)

    @strawberry.mutation(
        permission_classes=[WRITE_OKRS],
        description="Remove an objective's alignment; it stands unaligned (coaching flags it).",
    )
    async def unalign_objective(
        self,
        info: Info,
        input: UnalignObjectiveInput,
    ) -> ObjectivePayload:
        result, errors = await execute(
            info,
            lambda: c.UnalignObjective(objective_id(input.objective_id), input.reason),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def activate_objective(self, info: Info, input: ObjectiveInput) -> ObjectivePayload:
        return await lifecycle_step(info, input, c.ActivateObjective)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def archive_objective(self, info: Info, input: ObjectiveInput) -> ObjectivePayload:
        return await lifecycle_step(info, input, c.ArchiveObjective)

    @strawberry.mutation(
        permission_classes=[WRITE_OKRS],
        description=(
            "Close and grade an objective (score 0.0-1.0 and a retrospective). The one "
            "change allowed in a closed period."
        ),
    )
    async def close_objective(
        self,
        info: Info,
        input: CloseObjectiveInput,
    ) -> ObjectivePayload:
        result, errors = await execute(
            info,
            lambda: c.CloseObjective(
                objective_id(input.objective_id), input.score, input.retrospective
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def reopen_objective(
        self,
        info: Info,
        input: ReopenObjectiveInput,
    ) -> ObjectivePayload:
        result, errors = await execute(
            info,
            lambda: c.ReopenObjective(objective_id(input.objective_id), input.reason),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[WRITE_OKRS])
    async def add_initiative(
        self,
        info: Info,
        input: AddInitiativeInput,
    ) -> ObjectivePayload:
        target = objective_id_or_blank(input.objective_id)
        result, errors = await execute(
            info,
            lambda: c.AddInitiative(
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
        result, errors = await execute(
            info,
            lambda: c.SetInitiativeStatus(
                objective_id(input.objective_id),
                decode_id(input.initiative_id, "Initiative", "initiativeId"),
                input.status,
            ),
            input.idempotency_key,
        )
        return await objective_payload(info, result, errors)
