"""Mutations that manage the organization: people, teams, periods, policy, tokens (ADMIN)."""

from __future__ import annotations

from datetime import date

import strawberry

from okr.domain import commands as c
from okr.domain.api_token import Role
from okr.domain.values import PersonalObjectivePolicy
from okr.graphql.context import Info
from okr.graphql.directory_types import Organization, Period, Person, Team
from okr.graphql.ids import decode_id
from okr.graphql.payloads import (
    ApiTokenPayload,
    OrganizationPayload,
    PeriodPayload,
    PersonPayload,
    TeamPayload,
    UserError,
    changed,
    execute,
)
from okr.graphql.permissions import ADMINISTER
from okr.graphql.token_types import ApiToken
from okr.services.context import CommandResult
from okr.services.tokens import new_token
from okr.views.directory import (
    organization_by_id,
    period_by_id,
    person_by_id,
    team_by_id,
)
from okr.views.tokens import api_token_by_id


@strawberry.input
class RegisterPersonInput:
    name: str
    email: str = ""
    idempotency_key: str | None = None


@strawberry.input
class PersonInput:
    person_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.input
class CreateTeamInput:
    name: str
    idempotency_key: str | None = None


@strawberry.input
class TeamMemberInput:
    team_id: strawberry.ID
    person_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class CreatePeriodInput:
    name: str
    starts_on: date
    ends_on: date
    idempotency_key: str | None = None


@strawberry.input
class PeriodInput:
    period_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.input
class SetPolicyInput:
    personal_objectives: PersonalObjectivePolicy
    idempotency_key: str | None = None


@strawberry.input
class IssueApiTokenInput:
    name: str
    role: Role
    person_id: strawberry.ID | None = None


@strawberry.input
class RevokeApiTokenInput:
    token_id: strawberry.ID
    idempotency_key: str | None = None


async def person_payload(
    info: Info, result: CommandResult | None, errors: list[UserError]
) -> PersonPayload:
    return PersonPayload(
        person=await changed(info, result, person_by_id, Person.of), user_errors=errors
    )


async def team_payload(
    info: Info, result: CommandResult | None, errors: list[UserError]
) -> TeamPayload:
    return TeamPayload(team=await changed(info, result, team_by_id, Team.of), user_errors=errors)


async def period_payload(
    info: Info, result: CommandResult | None, errors: list[UserError]
) -> PeriodPayload:
    return PeriodPayload(
        period=await changed(info, result, period_by_id, Period.of), user_errors=errors
    )


async def change_membership(
    info: Info,
    input: TeamMemberInput,
    command: type[c.AddTeamMember] | type[c.RemoveTeamMember],
) -> TeamPayload:
    """Add a person to a team, or take them out."""
    result, errors = await execute(
        info,
        lambda: command(
            decode_id(input.team_id, "Team", "teamId"),
            decode_id(input.person_id, "Person", "personId"),
        ),
        input.idempotency_key,
    )
    return await team_payload(info, result, errors)


@strawberry.type
class AdminMutation:
    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def register_person(self, info: Info, input: RegisterPersonInput) -> PersonPayload:
        result, errors = await execute(
            info,
            lambda: c.RegisterPerson(input.name, input.email),
            input.idempotency_key,
        )
        return await person_payload(info, result, errors)

    @strawberry.mutation(
        permission_classes=[ADMINISTER], description="The person leaves; history stays."
    )
    async def deactivate_person(self, info: Info, input: PersonInput) -> PersonPayload:
        result, errors = await execute(
            info,
            lambda: c.DeactivatePerson(
                decode_id(input.person_id, "Person", "personId"), input.reason
            ),
            input.idempotency_key,
        )
        return await person_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def create_team(self, info: Info, input: CreateTeamInput) -> TeamPayload:
        result, errors = await execute(
            info, lambda: c.CreateTeam(input.name), input.idempotency_key
        )
        return await team_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def add_team_member(self, info: Info, input: TeamMemberInput) -> TeamPayload:
        return await change_membership(info, input, c.AddTeamMember)

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def remove_team_member(self, info: Info, input: TeamMemberInput) -> TeamPayload:
        return await change_membership(info, input, c.RemoveTeamMember)

    @strawberry.mutation(
        permission_classes=[ADMINISTER],
        description=(
            "Create a period; names are unique within an organization (trimmed, case-insensitive)."
        ),
    )
    async def create_period(self, info: Info, input: CreatePeriodInput) -> PeriodPayload:
        result, errors = await execute(
            info,
            lambda: c.CreatePeriod(input.name, input.starts_on, input.ends_on),
            input.idempotency_key,
        )
        return await period_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def close_period(self, info: Info, input: PeriodInput) -> PeriodPayload:
        result, errors = await execute(
            info,
            lambda: c.ClosePeriod(decode_id(input.period_id, "Period", "periodId"), input.reason),
            input.idempotency_key,
        )
        return await period_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def reopen_period(self, info: Info, input: PeriodInput) -> PeriodPayload:
        result, errors = await execute(
            info,
            lambda: c.ReopenPeriod(decode_id(input.period_id, "Period", "periodId"), input.reason),
            input.idempotency_key,
        )
        return await period_payload(info, result, errors)

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def set_personal_objective_policy(
        self, info: Info, input: SetPolicyInput
    ) -> OrganizationPayload:
        result, errors = await execute(
            info,
            lambda: c.ChangePersonalObjectivePolicy(input.personal_objectives),
            input.idempotency_key,
        )
        return OrganizationPayload(
            organization=await changed(info, result, organization_by_id, Organization.of),
            user_errors=errors,
        )

    @strawberry.mutation(
        permission_classes=[ADMINISTER], description="The secret is in this payload only."
    )
    async def issue_api_token(self, info: Info, input: IssueApiTokenInput) -> ApiTokenPayload:
        secrets: list[str] = []

        def command() -> c.IssueApiToken:
            person = (
                None
                if input.person_id is None
                else decode_id(input.person_id, "Person", "personId")
            )
            issue, secret = new_token(input.name, input.role, person)
            secrets.append(secret)
            return issue

        result, errors = await execute(info, command, None)
        return ApiTokenPayload(
            token=await changed(info, result, api_token_by_id, ApiToken.of),
            secret=secrets[0] if result is not None else None,
            user_errors=errors,
        )

    @strawberry.mutation(permission_classes=[ADMINISTER])
    async def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> ApiTokenPayload:
        result, errors = await execute(
            info,
            lambda: c.RevokeApiToken(decode_id(input.token_id, "ApiToken", "tokenId")),
            input.idempotency_key,
        )
        return ApiTokenPayload(
            token=await changed(info, result, api_token_by_id, ApiToken.of),
            secret=None,
            user_errors=errors,
        )
