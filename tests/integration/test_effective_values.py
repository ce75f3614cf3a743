"""What a key result's data is about, not when it was recorded, sets its value and freshness.

A check-in recorded late with an older `effective_at` neither replaces a newer value nor makes
the key result fresh; a correction still supersedes the check-in it names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from okr.bootstrap import Runtime
from okr.domain.clock import using_clock
from okr.domain.commands import CorrectCheckIn, RecordCheckIn
from okr.domain.key_result import KeyResult
from okr.queries.health import period_health
from okr.queries.key_result_history import Interval, key_result_history
from okr.queries.key_result_state import key_result_state
from tests.folded_rows import key_result_row
from tests.world import World

OCT_1 = datetime(2026, 10, 1, 9, tzinfo=UTC)
OCT_10 = datetime(2026, 10, 10, 12, tzinfo=UTC)
OCT_20 = datetime(2026, 10, 20, 12, tzinfo=UTC)
OCT_22 = datetime(2026, 10, 22, 12, tzinfo=UTC)
TODAY = datetime(2026, 12, 1, 12, tzinfo=UTC)


def check_in(world: World, key_result: UUID, value: float, effective_at: datetime) -> UUID:
    return world.app.handle(
        world.ctx, RecordCheckIn(key_result, value=value, confidence=6, effective_at=effective_at)
    ).id


async def current_value(runtime: Runtime, world: World, key_result: UUID) -> float | None:
    await runtime.runner.catch_up()
    row = await runtime.store.fetchrow(
        "SELECT current_value FROM key_results WHERE id = $1", str(key_result)
    )
    assert row is not None
    value: float | None = row["current_value"]
    return value


async def test_a_late_check_in_about_an_earlier_day_does_not_replace_a_newer_value(
    runtime: Runtime,
) -> None:
    world = World.build(runtime.app)
    with using_clock(lambda: OCT_1):
        key_result = world.active_key_result()
    with using_clock(lambda: OCT_20):
        check_in(world, key_result, 6, OCT_20)
    with using_clock(lambda: OCT_22):
        check_in(world, key_result, 9, OCT_10)

    assert await current_value(runtime, world, key_result) == 6
    folded = world.app.load(world.ctx, KeyResult, key_result, at=OCT_22 + timedelta(hours=1))
    assert key_result_row(folded)["current_value"] == 6
    points = await key_result_history(
        runtime.store,
        str(world.ctx.organization_id),
        str(key_result),
        date(2026, 10, 10),
        date(2026, 10, 21),
        Interval.DAY,
    )
    assert points is not None
    assert [p.value for p in points] == [9] * 10 + [6] * 2


async def test_a_check_in_about_a_later_day_replaces_it_and_a_correction_supersedes(
    runtime: Runtime,
) -> None:
    world = World.build(runtime.app)
    with using_clock(lambda: OCT_1):
        key_result = world.active_key_result()
    with using_clock(lambda: OCT_20):
        check_in(world, key_result, 9, OCT_10)
    with using_clock(lambda: OCT_22):
        latest = check_in(world, key_result, 6, OCT_20)

    assert await current_value(runtime, world, key_result) == 6

    with using_clock(lambda: OCT_22 + timedelta(hours=1)):
        world.app.handle(
            world.ctx,
            CorrectCheckIn(key_result, check_in_id=latest, value=5, confidence=6, reason="typo"),
        )

    assert await current_value(runtime, world, key_result) == 5
    assert key_result_row(world.app.load(world.ctx, KeyResult, key_result))["current_value"] == 5


async def test_a_check_in_recorded_today_about_five_months_ago_leaves_it_stale(
    runtime: Runtime,
) -> None:
    world = World.build(runtime.app)
    objective = world.directional()
    old_news = world.key_result(objective, title="Uptime rises from 99.5% to 99.9%")
    fresh = world.key_result(objective)
    world.activate(objective)
    with using_clock(lambda: TODAY):
        check_in(world, old_news, 7, TODAY - timedelta(days=150))
        check_in(world, fresh, 7, TODAY - timedelta(days=13))
    await runtime.runner.catch_up()
    org = str(world.ctx.organization_id)

    stale = await key_result_state(runtime.store, org, str(old_news), TODAY + timedelta(hours=1))
    recent = await key_result_state(runtime.store, org, str(fresh), TODAY + timedelta(hours=1))
    health = await period_health(runtime.store, org, str(world.year), TODAY + timedelta(hours=1))

    assert stale is not None
    assert recent is not None
    assert (stale.stale, recent.stale) == (True, False)
    assert health is not None
    assert health.stale == 1
