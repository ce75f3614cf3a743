"""A check-in belongs to an active objective and refers to a day of its period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from okr.domain.clock import using_clock
from okr.domain.commands import ActivateObjective, CorrectCheckIn, RecordCheckIn
from okr.domain.errors import InvalidInput, InvalidTransition
from okr.domain.key_result import KeyResult
from okr.domain.period import LATE_REPORTING
from okr.services.context import CommandResult
from tests.world import WEEK_ONE, World

QUARTER_END = datetime(2026, 12, 31, 18, tzinfo=UTC)
AFTER_THE_QUARTER = QUARTER_END + timedelta(days=30)


def record(world: World, key_result: UUID, effective_at: datetime) -> CommandResult:
    command = RecordCheckIn(key_result, value=5, confidence=6, effective_at=effective_at)
    return world.app.handle(world.ctx, command)


def test_a_draft_objective_takes_no_check_in_until_it_is_activated(world: World) -> None:
    objective = world.objective()
    key_result = world.key_result(objective)

    error = world.refuse(InvalidTransition, lambda: record(world, key_result, WEEK_ONE))
    assert error.field == "objectiveId"
    world.app.handle(world.ctx, ActivateObjective(objective))
    record(world, key_result, WEEK_ONE)


@pytest.mark.parametrize(
    "effective_at",
    [
        datetime(2026, 9, 30, 23, tzinfo=UTC),
        QUARTER_END + LATE_REPORTING + timedelta(days=1),
    ],
    ids=["before the period", "past the grace after its end"],
)
def test_effective_at_lies_within_the_period_and_its_grace(
    world: World, effective_at: datetime
) -> None:
    key_result = world.active_key_result()

    with using_clock(lambda: AFTER_THE_QUARTER):
        error = world.refuse(InvalidInput, lambda: record(world, key_result, effective_at))
    assert error.field == "effectiveAt"


def test_a_value_measured_just_after_the_end_is_accepted(world: World) -> None:
    key_result = world.active_key_result()
    late = QUARTER_END + timedelta(days=3)

    with using_clock(lambda: AFTER_THE_QUARTER):
        record(world, key_result, late)

    assert world.app.load(world.ctx, KeyResult, key_result).check_ins[0].effective_at == late


def test_effective_at_is_not_in_the_future(world: World) -> None:
    key_result = world.active_key_result()
    now = WEEK_ONE + timedelta(days=10)

    with using_clock(lambda: now):
        record(world, key_result, now + timedelta(minutes=2))
        error = world.refuse(
            InvalidInput, lambda: record(world, key_result, now + timedelta(hours=1))
        )
    assert "future" in error.message


def test_a_correction_may_move_the_day_only_within_the_period(world: World) -> None:
    key_result = world.active_key_result()
    first = world.check_in(key_result, 9)

    world.refuse(
        InvalidInput,
        lambda: world.app.handle(
            world.ctx,
            CorrectCheckIn(
                key_result,
                check_in_id=first,
                value=8,
                confidence=6,
                reason="wrong quarter",
                effective_at=datetime(2026, 6, 30, tzinfo=UTC),
            ),
        ),
    )
