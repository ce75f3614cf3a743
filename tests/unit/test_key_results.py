"""Target revisions keep the original; corrections supersede without overwriting."""

from __future__ import annotations

from datetime import timedelta

from okr.domain.commands import CorrectCheckIn, RecordCheckIn, ReviseKeyResultTarget
from okr.domain.errors import ConcurrencyConflict, InvalidInput
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from tests.world import WEEK_ONE, World


def test_adding_a_key_result_records_it_on_the_objective(world: World) -> None:
    objective_id = world.objective()

    key_result = world.key_result(objective_id)

    assert world.app.load(world.ctx, Objective, objective_id).key_result_ids == [key_result]


def test_a_revised_target_keeps_the_original(world: World) -> None:
    key_result = world.active_key_result()

    world.app.handle(
        world.ctx, ReviseKeyResultTarget(key_result, 4, "the vendor migration slipped")
    )

    revised = world.app.load(world.ctx, KeyResult, key_result)
    assert (revised.original_target, revised.target) == (2, 4)
    assert revised.revisions[0].reason == "the vendor migration slipped"
    assert revised.target_at(revised.revisions[0].revised_at - timedelta(seconds=1)) == 2


def test_a_revision_needs_a_reason_and_a_new_target(world: World) -> None:
    key_result = world.active_key_result()

    world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx, ReviseKeyResultTarget(key_result, 4, ""))
    )
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, ReviseKeyResultTarget(key_result, 2, "same")),
    )
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, ReviseKeyResultTarget(key_result, 12, "up")),
    )


def test_a_correction_supersedes_the_check_in_it_names(world: World) -> None:
    key_result = world.active_key_result()
    first = world.check_in(key_result, 9)
    world.app.handle(
        world.ctx,
        RecordCheckIn(key_result, value=8, confidence=6, effective_at=WEEK_ONE + timedelta(days=7)),
    )

    correction = world.app.handle(
        world.ctx,
        CorrectCheckIn(key_result, check_in_id=first, value=9.5, confidence=6, reason="typo"),
    ).id

    corrected = world.app.load(world.ctx, KeyResult, key_result)
    assert len(corrected.check_ins) == 3
    assert [c.value for c in corrected.effective_check_ins()] == [8, 9.5]
    fix = corrected.check_ins[-1]
    assert (fix.id, fix.corrects_id, fix.effective_at, fix.reason) == (
        correction,
        first,
        WEEK_ONE,
        "typo",
    )
    assert corrected.current is not None
    assert corrected.current.value == 8


def test_a_correction_names_a_current_check_in_and_a_reason(world: World) -> None:
    key_result = world.active_key_result()
    first = world.check_in(key_result, 9)
    world.app.handle(
        world.ctx,
        CorrectCheckIn(key_result, check_in_id=first, value=9.5, confidence=6, reason="typo"),
    )

    world.refuse(
        ConcurrencyConflict,
        lambda: world.app.handle(
            world.ctx,
            CorrectCheckIn(key_result, check_in_id=first, value=9, confidence=6, reason="again"),
        ),
    )
    second = world.check_in(key_result, 7)
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(
            world.ctx,
            CorrectCheckIn(key_result, check_in_id=second, value=9, confidence=6, reason=" "),
        ),
    )
