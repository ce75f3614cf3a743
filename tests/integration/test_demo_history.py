"""The demo's quarter, read back through the historical views."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from okr.bootstrap import Runtime
from okr.demo import Demo
from okr.demo.quarter import QUARTER_END, QUARTER_START, TIER2_TO_TIER1, TIER3_TO_TIER2, week_end
from okr.domain.errors import InvalidInput
from okr.domain.progress import TrackStatus
from okr.queries.key_result_history import (
    HistoryPoint,
    Interval,
    key_result_history,
    objective_progress_history,
)
from okr.queries.key_results_as_of import key_results_as_of
from okr.queries.tree_as_of import tree_as_of
from okr.services.context import Context

MID_QUARTER = datetime(2026, 8, 20, tzinfo=UTC)


async def quarter_history(
    runtime: Runtime, demo: Demo, key: str, as_of: datetime | None = None
) -> list[HistoryPoint]:
    """A demo key result's weekly points over the whole quarter."""
    points = await key_result_history(
        runtime.store,
        str(demo.organization_id),
        str(demo.key_results[key]),
        QUARTER_START,
        QUARTER_END,
        Interval.WEEK,
        as_of,
    )
    assert points is not None
    return points


async def test_tier_2_history_has_13_weekly_points_matching_its_check_ins(
    runtime: Runtime, demo: Demo
) -> None:
    points = await quarter_history(runtime, demo, "tier2_to_tier1")

    assert [p.on for p in points] == [week_end(w) for w in range(1, 14)]
    corrected = [*TIER2_TO_TIER1[:4], 140, *TIER2_TO_TIER1[5:]]
    assert [p.value for p in points] == corrected
    assert [p.progress for p in points] == pytest.approx([v / 500 for v in corrected])
    assert points[-1].expected_progress == pytest.approx(91 / 92)
    assert {p.target for p in points} == {500}
    assert all(p.confidence is not None for p in points)


async def test_as_of_mid_quarter_the_later_correction_is_unseen(
    runtime: Runtime, demo: Demo
) -> None:
    points = await quarter_history(runtime, demo, "tier2_to_tier1", as_of=MID_QUARTER)

    assert points[4].value == 150
    known = TIER2_TO_TIER1[:7]
    assert [p.value for p in points] == known + [known[-1]] * 6


async def test_progress_against_the_original_and_the_revised_target(
    runtime: Runtime, demo: Demo
) -> None:
    points = await quarter_history(runtime, demo, "tier3_to_tier2")

    assert [p.target for p in points] == [1000] * 5 + [800] * 8
    last = points[-1]
    assert last.value == TIER3_TO_TIER2[-1]
    assert last.progress == pytest.approx(610 / 800)
    assert last.original_progress == pytest.approx(610 / 1000)
    row = await runtime.store.fetchrow(
        "SELECT progress, original_progress FROM key_results WHERE id = $1",
        str(demo.key_results["tier3_to_tier2"]),
    )
    assert row == {"progress": pytest.approx(610 / 800), "original_progress": pytest.approx(0.61)}


async def test_daily_history_carries_values_forward(runtime: Runtime, demo: Demo) -> None:
    points = await key_result_history(
        runtime.store,
        str(demo.organization_id),
        str(demo.key_results["tier2_to_tier1"]),
        date(2026, 7, 1),
        date(2026, 7, 15),
        Interval.DAY,
    )

    assert points is not None
    assert [p.value for p in points] == [None] * 6 + [20] * 7 + [45] * 2
    assert points[0].status is TrackStatus.ON_TRACK


async def test_objective_progress_moves_over_the_quarter(runtime: Runtime, demo: Demo) -> None:
    points = await objective_progress_history(
        runtime.store,
        str(demo.organization_id),
        str(demo.objectives["search"]),
        QUARTER_START,
        QUARTER_END,
        Interval.WEEK,
    )

    assert points is not None
    assert len(points) == 13
    assert points[0].progress == pytest.approx(((40.5 - 40) / 10 + (8 - 7.9) / 4) / 2)
    assert points[-1].progress == pytest.approx(((48.4 - 40) / 10 + (8 - 4.6) / 4) / 2)


async def test_a_history_range_must_make_sense(runtime: Runtime, demo: Demo) -> None:
    key_result = str(demo.key_results["tier2_to_tier1"])
    org = str(demo.organization_id)
    with pytest.raises(InvalidInput):
        await key_result_history(
            runtime.store, org, key_result, QUARTER_END, QUARTER_START, Interval.DAY
        )
    with pytest.raises(InvalidInput):
        await key_result_history(
            runtime.store, org, key_result, date(2020, 1, 1), QUARTER_END, Interval.DAY
        )
    with pytest.raises(InvalidInput):
        await key_result_history(
            runtime.store, org, key_result, date(1, 1, 1), date(9999, 12, 31), Interval.WEEK
        )
    assert (
        await key_result_history(
            runtime.store, "another-org", key_result, QUARTER_START, QUARTER_END, Interval.DAY
        )
        is None
    )


async def test_the_tree_as_of_mid_quarter_shows_the_lead_and_targets_of_then(
    runtime: Runtime, demo: Demo
) -> None:
    context = Context(demo.organization_id, "system:test")
    before_lead_change = datetime(2026, 7, 20, tzinfo=UTC)

    nodes = await tree_as_of(runtime.app, runtime.store, context, before_lead_change)

    by_id = {n.objective.id: n for n in nodes}
    upgrade = by_id[demo.objectives["upgrade"]]
    assert upgrade.objective.lead_id == demo.people["Ben"]
    assert upgrade.parent_id == demo.objectives["growth"]
    assert by_id[demo.objectives["search"]].parent_id == demo.objectives["growth"]
    tier3 = str(demo.key_results["tier3_to_tier2"])
    then = await key_results_as_of(
        runtime.views, str(demo.organization_id), [tier3], before_lead_change
    )
    row = then[tier3]
    assert row is not None
    assert row["target"] == 1000
    assert len(nodes) == 4
