"""The runner applies each event once, wakes on new events and lets writers read their writes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import pytest

from okr.bootstrap import Runtime
from okr.domain.commands import RegisterPerson
from okr.views.base import Envelope, View
from okr.views.database import SqlConnection
from okr.views.view_runner import ViewRunner
from tests.world import World


async def test_catching_up_twice_applies_nothing_twice(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    key_result = world.key_result(world.objective())
    world.check_in(key_result, 5)

    first = await runtime.runner.catch_up()
    second = await runtime.runner.catch_up()

    assert first == second == world.event_count
    rows = await runtime.store.fetch("SELECT COUNT(*) AS n FROM check_ins")
    assert rows == [{"n": 1}]
    assert await runtime.runner.lag() == 0


async def test_lag_counts_the_events_not_yet_applied(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    await runtime.runner.catch_up()
    world.objective()

    assert await runtime.runner.lag() == 1


async def test_small_batches_reach_the_same_state(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    world.key_result(world.objective())
    small = ViewRunner(runtime.store, runtime.runner.source, runtime.runner.views, batch_size=2)

    while await small.step():
        pass

    assert await small.position() == world.event_count
    assert await runtime.store.fetchrow("SELECT COUNT(*) AS n FROM audit_log") == {
        "n": world.event_count
    }


@pytest.fixture
async def following(runtime: Runtime) -> AsyncIterator[Runtime]:
    """The runner following the log, with a 30 s poll so only a wake-up can be quick."""
    runtime.runner.poll_seconds = 30
    task = asyncio.create_task(runtime.runner.run())
    for _ in range(100):
        if runtime.runner.leading:
            break
        await asyncio.sleep(0.02)
    yield runtime
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_a_new_event_wakes_the_runner_and_the_writer_reads_its_write(
    following: Runtime,
) -> None:
    world = await asyncio.to_thread(World.build, following.app)
    assert await following.caught_up(world.event_count, timeout=5)

    result = await asyncio.to_thread(world.app.handle, world.ctx, RegisterPerson("Dee"))

    assert await following.caught_up(result.position, timeout=2.0)
    row = await following.store.fetchrow("SELECT name FROM people WHERE id = $1", str(result.id))
    assert row == {"name": "Dee"}


async def test_waiting_is_bounded(runtime: Runtime) -> None:
    world = World.build(runtime.app)

    assert not await runtime.caught_up(world.event_count, timeout=0.2)


class EventCounter(View):
    """A view added after the others have caught up."""

    name = "event_counter"
    tables = {"counted_events": "position BIGINT PRIMARY KEY"}

    async def apply_batch(self, batch: Sequence[Envelope], conn: SqlConnection) -> None:
        for envelope in batch:
            await conn.execute(f"INSERT INTO {self.p}counted_events VALUES ($1)", envelope.position)


async def test_a_view_added_later_catches_up_alone(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    world.objective()
    await runtime.runner.catch_up()
    extended = ViewRunner(
        runtime.store, runtime.runner.source, [*runtime.runner.views, EventCounter()]
    )
    await extended.setup()

    assert await extended.catch_up() == world.event_count

    assert await runtime.store.fetchrow("SELECT COUNT(*) AS n FROM counted_events") == {
        "n": world.event_count
    }
    assert await runtime.store.fetchrow("SELECT COUNT(*) AS n FROM audit_log") == {
        "n": world.event_count
    }
