"""The batched reads behind the API's loaders answer each id apart, as worked out here from
the rows they come from."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from okr.bootstrap import Runtime
from okr.demo import Demo
from okr.queries.key_result_history import (
    Interval,
    key_result_histories,
    objective_progress_histories,
    point_days,
)
from okr.views.base import iso
from okr.views.check_in_history import (
    check_ins_of_key_results_known_at,
    every_check_in_of_key_results,
)
from okr.views.objectives import (
    ancestors_of_objectives,
    collaborations_of_objectives,
    every_objective,
)

MID_QUARTER = datetime(2026, 8, 15, 12, tzinfo=UTC)
QUARTER = (date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.parametrize("interval", list(Interval))
async def test_histories_of_many_answer_each_one_apart(
    runtime: Runtime, demo: Demo, interval: Interval
) -> None:
    org = str(demo.organization_id)
    key_results = [str(k) for k in demo.key_results.values()]
    objectives = [str(o) for o in demo.objectives.values()]
    before_any = datetime(2026, 1, 1, tzinfo=UTC)

    many = await key_result_histories(
        runtime.store, org, [*key_results, "missing"], *QUARTER, interval
    )
    progress = await objective_progress_histories(
        runtime.store, org, objectives, *QUARTER, interval
    )
    unknown_then = await key_result_histories(
        runtime.store, org, key_results, *QUARTER, interval, before_any
    )

    days = len(point_days(*QUARTER, interval))
    assert many["missing"] is None
    assert all(
        points is not None and len(points) == days for k, points in many.items() if k != "missing"
    )
    assert all(points is not None and len(points) == days for points in progress.values())
    assert len({tuple(p.value for p in many[k] or []) for k in key_results}) > 1
    assert unknown_then == dict.fromkeys(key_results)
    assert await key_result_histories(
        runtime.store, "another-org", key_results, *QUARTER, interval
    ) == (dict.fromkeys(key_results))


@pytest.mark.parametrize("as_of", [None, MID_QUARTER])
async def test_check_ins_of_many_are_each_ones_check_ins_as_known_then(
    runtime: Runtime, demo: Demo, as_of: datetime | None
) -> None:
    org = str(demo.organization_id)
    key_results = [str(k) for k in demo.key_results.values()]

    known = await check_ins_of_key_results_known_at(runtime.store, org, key_results, as_of)
    every = await every_check_in_of_key_results(runtime.store, org, key_results)

    moment = "9999" if as_of is None else iso(as_of)
    for k in key_results:
        own = [r for r in every if r["key_result_id"] == k]
        then = [
            r
            for r in own
            if r["recorded_at"] <= moment
            and (r["superseded_at"] is None or r["superseded_at"] > moment)
        ]
        assert [r for r in known if r["key_result_id"] == k] == sorted(
            then, key=lambda r: (r["effective_at"], r["recorded_at"])
        )
        assert [r["recorded_at"] for r in own] == sorted(r["recorded_at"] for r in own)
    assert len(every) > len(known) > 0


async def test_collaboration_and_ancestors_of_many_are_each_ones(
    runtime: Runtime, demo: Demo
) -> None:
    org = str(demo.organization_id)
    objectives = [str(o) for o in demo.objectives.values()]

    collaborations = await collaborations_of_objectives(runtime.store, org, objectives)
    ancestors = await ancestors_of_objectives(runtime.store, org, objectives)

    parents = {r["id"]: r["parent_objective_id"] for r in await every_objective(runtime.store, org)}
    for o in objectives:
        chain, parent = [], parents[o]
        while parent is not None:
            chain.append(parent)
            parent = parents[parent]
        assert [r["id"] for r in ancestors if r["descendant_id"] == o] == chain
    assert {c for c in collaborations.values() if c is not None} == {
        "FUNCTIONAL",
        "CROSS_FUNCTIONAL",
    }
    assert ancestors
    assert await collaborations_of_objectives(runtime.store, "another-org", objectives) == (
        dict.fromkeys(objectives)
    )
