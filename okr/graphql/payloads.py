"""Mutation results: the changed object and `userErrors`, never an exception for bad input."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

import strawberry
from eventsourcing.persistence import PersistenceError

from okr.domain.commands import Command
from okr.domain.errors import OkrError
from okr.graphql.context import Info
from okr.graphql.directory_types import Organization, Period, Person, Team
from okr.graphql.key_result_types import CheckIn, KeyResult
from okr.graphql.kpi_types import Kpi, Recognition
from okr.graphql.node import RowById, fresh
from okr.graphql.objective_types import Objective
from okr.graphql.token_types import ApiToken
from okr.services.context import CommandResult
from okr.views.database import Row

log = logging.getLogger(__name__)
T = TypeVar("T")


@strawberry.type(description="Why a mutation was refused. Nothing was recorded.")
class UserError:
    field: str | None
    message: str
    code: str

    @classmethod
    def of(cls, error: OkrError) -> UserError:
        return cls(field=error.field, message=error.message, code=error.code)


async def execute(
    info: Info, build: Callable[[], Command], key: str | None
) -> tuple[CommandResult | None, list[UserError]]:
    """Build the command from the input (a malformed value is a user error), run it as the
    caller, then wait until the views show its effect."""
    context = info.context.who.context(key)
    try:
        command = build()
        result = await asyncio.to_thread(info.context.backend.app.handle, context, command)
    except OkrError as error:
        return None, [UserError.of(error)]
    except PersistenceError:
        log.warning("the event store was busy", exc_info=True)
        return None, [
            UserError(field=None, message="the store is busy; try again", code="STORE_BUSY")
        ]
    backend = info.context.backend
    if result.position is None:
        caught_up = await backend.caught_up_with_log()
    else:
        caught_up = await backend.caught_up(result.position)
    errors = []
    if not caught_up:
        recorded = "" if result.position is None else f"recorded at position {result.position}; "
        errors.append(
            UserError(
                field=None,
                message=f"{recorded}the views have not caught up yet",
                code="VIEWS_LAGGING",
            )
        )
    info.context.refresh_loaders()
    return result, errors


async def changed(
    info: Info, result: CommandResult | None, read: RowById, build: Callable[[Row], T]
) -> T | None:
    """What a command changed, read fresh from its view; None when the command was refused."""
    if result is None:
        return None
    row = await fresh(info, read, str(result.id))
    return None if row is None else build(row)


@strawberry.type
class ObjectivePayload:
    objective: Objective | None
    user_errors: list[UserError]


@strawberry.type
class KeyResultPayload:
    key_result: KeyResult | None
    user_errors: list[UserError]


@strawberry.type
class CheckInPayload:
    check_in: CheckIn | None
    key_result: KeyResult | None
    user_errors: list[UserError]


@strawberry.type
class PersonPayload:
    person: Person | None
    user_errors: list[UserError]


@strawberry.type
class TeamPayload:
    team: Team | None
    user_errors: list[UserError]


@strawberry.type
class PeriodPayload:
    period: Period | None
    user_errors: list[UserError]


@strawberry.type
class OrganizationPayload:
    organization: Organization | None
    user_errors: list[UserError]


@strawberry.type
class KpiPayload:
    kpi: Kpi | None
    user_errors: list[UserError]


@strawberry.type
class RecognitionPayload:
    recognition: Recognition | None
    user_errors: list[UserError]


@strawberry.type
class ApiTokenPayload:
    token: ApiToken | None
    secret: str | None = strawberry.field(
        description="The bearer token, shown only in the payload that issued it."
    )
    user_errors: list[UserError]
