"""Titles, numbers, confidence, scores and units are checked before any event."""

from __future__ import annotations

import math

import pytest

from okr.domain.commands import ActivateObjective, CloseObjective, RecordCheckIn
from okr.domain.errors import InvalidInput
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.values import Metric
from tests.world import WEEK_ONE, World


def test_titles_are_trimmed_and_may_be_200_characters(world: World) -> None:
    objective_id = world.objective(title="  " + "x" * 200 + "  ")

    assert world.app.load(world.ctx, Objective, objective_id).title == "x" * 200


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "y" * 1_000_000])
def test_titles_outside_1_to_200_characters_are_refused(world: World, title: str) -> None:
    error = world.refuse(InvalidInput, lambda: world.objective(title=title))
    assert error.field == "title"


@pytest.mark.parametrize("confidence", [0, 10])
def test_confidence_from_0_to_10_is_accepted(world: World, confidence: int) -> None:
    key_result = world.active_key_result()

    world.check_in(key_result, 8, confidence)

    assert world.app.load(world.ctx, KeyResult, key_result).check_ins[0].confidence == confidence


@pytest.mark.parametrize("confidence", [-1, 11, True])
def test_confidence_outside_0_to_10_is_refused(world: World, confidence: int) -> None:
    key_result = world.active_key_result()

    error = world.refuse(InvalidInput, lambda: world.check_in(key_result, 8, confidence))
    assert error.field == "confidence"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_values_must_be_finite(world: World, value: float) -> None:
    objective_id = world.objective()
    key_result = world.key_result(objective_id)
    world.activate(objective_id)

    check_in = world.refuse(InvalidInput, lambda: world.check_in(key_result, value))
    target = world.refuse(InvalidInput, lambda: world.key_result(objective_id, target=value))
    assert (check_in.field, target.field) == ("value", "target")


def test_binary_takes_0_or_1(world: World) -> None:
    key_result = world.key_result(world.objective(), metric=Metric.BINARY, start=0, target=1)

    world.check_in(key_result, 1)
    world.check_in(key_result, 0)
    error = world.refuse(InvalidInput, lambda: world.check_in(key_result, 0.5))

    assert error.field == "value"
    check_ins = world.app.load(world.ctx, KeyResult, key_result).check_ins
    assert [check_in.value for check_in in check_ins] == [1.0, 0.0]


def test_milestone_takes_0_to_100(world: World) -> None:
    key_result = world.key_result(world.objective(), metric=Metric.MILESTONE, start=0, target=100)

    world.check_in(key_result, 100)
    above = world.refuse(InvalidInput, lambda: world.check_in(key_result, 100.5))
    below = world.refuse(InvalidInput, lambda: world.check_in(key_result, -1))

    assert (above.field, below.field) == ("value", "value")
    check_ins = world.app.load(world.ctx, KeyResult, key_result).check_ins
    assert [check_in.value for check_in in check_ins] == [100.0]


def test_a_score_is_from_0_to_1(world: World) -> None:
    objective_id = world.objective()
    world.app.handle(world.ctx, ActivateObjective(objective_id))

    world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx, CloseObjective(objective_id, 1.01, ""))
    )
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, CloseObjective(objective_id, math.nan, "")),
    )
    world.app.handle(world.ctx, CloseObjective(objective_id, 1.0, "all done"))

    closed = world.app.load(world.ctx, Objective, objective_id)
    assert (closed.score, closed.retrospective) == (1.0, "all done")


def test_targets_point_the_way_of_their_metric(world: World) -> None:
    objective_id = world.objective()

    key_result_id = world.key_result(objective_id, metric=Metric.INCREASE_TO, start=1, target=5)
    backwards_up = world.refuse(
        InvalidInput,
        lambda: world.key_result(objective_id, metric=Metric.INCREASE_TO, start=5, target=1),
    )
    backwards_down = world.refuse(
        InvalidInput,
        lambda: world.key_result(objective_id, metric=Metric.DECREASE_TO, start=1, target=5),
    )

    key_result = world.app.load(world.ctx, KeyResult, key_result_id)
    assert (key_result.metric, key_result.start, key_result.original_target) == (
        Metric.INCREASE_TO,
        1.0,
        5.0,
    )
    assert (backwards_up.field, backwards_down.field) == ("target", "target")


@pytest.mark.parametrize("unit", ["NUMBER", "PERCENT", "EUR"])
def test_units_are_number_percent_or_a_currency(world: World, unit: str) -> None:
    key_result_id = world.key_result(world.objective(), unit=unit)

    key_result = world.app.load(world.ctx, KeyResult, key_result_id)
    assert (key_result.unit, key_result.start, key_result.original_target) == (unit, 10.0, 2.0)


@pytest.mark.parametrize("unit", ["", "eur", "EURO", "kg"])
def test_other_units_are_refused(world: World, unit: str) -> None:
    objective_id = world.objective()

    error = world.refuse(InvalidInput, lambda: world.key_result(objective_id, unit=unit))
    assert error.field == "unit"


def test_effective_at_needs_a_time_zone(world: World) -> None:
    key_result = world.active_key_result()

    error = world.refuse(
        InvalidInput,
        lambda: world.app.handle(
            world.ctx,
            RecordCheckIn(
                key_result,
                value=5,
                confidence=5,
                effective_at=WEEK_ONE.replace(tzinfo=None),
            ),
        ),
    )

    assert error.field == "effectiveAt"
    assert world.app.load(world.ctx, KeyResult, key_result).check_ins == []
