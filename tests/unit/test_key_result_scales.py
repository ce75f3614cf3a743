"""A BINARY key result goes from 0 to 1 and a MILESTONE one to 100: other figures are refused."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from okr.domain.commands import AddKeyResult
from okr.domain.errors import InvalidInput
from okr.domain.key_result import KeyResult
from okr.domain.values import Metric
from tests.world import World

ACTOR = "system:test"


def key_result(metric: Metric, start: float, target: float) -> KeyResult:
    return KeyResult.create(
        ACTOR,
        uuid4(),
        uuid4(),
        title="Rollbacks are automatic",
        metric=metric,
        start=start,
        target=target,
    )


@pytest.mark.parametrize(
    ("metric", "start", "target"),
    [(Metric.BINARY, 0, 1), (Metric.MILESTONE, 0, 100), (Metric.MILESTONE, 20, 100)],
)
def test_fixed_scales_are_accepted_as_given(metric: Metric, start: float, target: float) -> None:
    created = key_result(metric, start, target)

    assert (created.start, created.target) == (start, target)


@pytest.mark.parametrize(
    ("metric", "start", "target", "field"),
    [
        (Metric.BINARY, 0, 2, "target"),
        (Metric.BINARY, 10, 2, "start"),
        (Metric.BINARY, 1, 1, "start"),
        (Metric.MILESTONE, 0, 50, "target"),
        (Metric.MILESTONE, 120, 100, "start"),
        (Metric.MILESTONE, -5, 100, "start"),
    ],
)
def test_other_starts_and_targets_are_refused_not_changed(
    metric: Metric, start: float, target: float, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        key_result(metric, start, target)

    assert (refused.value.code, refused.value.field) == ("INVALID_INPUT", field)


@pytest.mark.parametrize(("metric", "target"), [(Metric.BINARY, 2), (Metric.MILESTONE, 80)])
def test_a_fixed_target_is_not_revised(metric: Metric, target: float) -> None:
    fixed = key_result(metric, 0, 1 if metric is Metric.BINARY else 100)

    with pytest.raises(InvalidInput) as refused:
        fixed.revise_target(ACTOR, target, "scope cut")

    assert refused.value.field == "target"
    assert fixed.revisions == []


def test_other_metrics_revise_their_target() -> None:
    growing = key_result(Metric.INCREASE_TO, 0, 500)

    growing.revise_target(ACTOR, 400, "scope cut")

    assert (growing.original_target, growing.target) == (500, 400)


@pytest.mark.parametrize(
    "fields",
    [
        {"metric": Metric.BINARY, "start": 0, "target": 100},
        {"metric": Metric.MILESTONE, "start": 0, "target": 1},
    ],
)
def test_adding_a_key_result_with_another_target_records_nothing(
    world: World, fields: dict[str, Any]
) -> None:
    objective_id = world.objective()

    error = world.refuse(InvalidInput, lambda: world.key_result(objective_id, **fields))

    assert error.field == "target"


def test_without_a_target_each_metric_takes_its_own_scale(world: World) -> None:
    objective = world.objective()
    metrics = [Metric.MILESTONE, Metric.BINARY, Metric.INCREASE_TO]

    created = [
        world.app.handle(world.ctx, AddKeyResult(objective, f"Measure {m.value}", m)).id
        for m in metrics
    ]

    targets = [world.app.load(world.ctx, KeyResult, k).target for k in created]
    assert targets == [100.0, 1.0, 1.0]
