"""Versioned views at their edges: a process still declaring an old version beside a newer
one, a rebuild that loses its lease, a rebuild after one that died, a read during the swap,
and which views a rebuild takes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from uuid import UUID

import pytest

from okr.audit.replay import replay
from okr.bootstrap import Runtime, open_runtime
from okr.demo import Demo
from okr.domain.commands import CorrectCheckIn
from okr.infra.event_store import DatabaseUrl
from okr.infra.postgres_setup import lock_key
from okr.views.base import View
from okr.views.catalog import VIEWS, all_views, in_order
from okr.views.check_in_history import CheckInHistory
from okr.views.database import Lease, SqlConnection
from okr.views.kpis import Kpis
from okr.views.positions import POSITIONS
from okr.views.rebuild import REBUILDING, Beside, RebuildAbandoned, rebuild_set
from okr.views.view_runner import ViewRunner
from tests.integration.test_view_versions import NEXT_VERSION, names_with_prefix, recognitions
from tests.world import World


class NewerCheckInHistory(CheckInHistory):
    """The check-in history at its next version (the same rows: only the version differs)."""

    version = CheckInHistory.version + 1


NEWER_HISTORY = [NewerCheckInHistory if view is CheckInHistory else view for view in VIEWS]


async def stored_version(runtime: Runtime, name: str) -> int:
    row = await runtime.store.fetchrow(f"SELECT version FROM {POSITIONS} WHERE name = $1", name)
    assert row is not None
    return int(row["version"])


async def current_value(runtime: Runtime, key_result: UUID) -> object:
    row = await runtime.store.fetchrow(
        "SELECT current_value FROM key_results WHERE id = $1", str(key_result)
    )
    assert row is not None
    return row["current_value"]


@asynccontextmanager
async def newer_history_beside(runtime: Runtime) -> AsyncIterator[tuple[World, UUID, Runtime]]:
    """A key result checked in at 5, then a newer process that swapped in the check-in
    history (and its reader, the key results) at the next version, then a correction to 6."""
    world = World.build(runtime.app)
    key_result = world.active_key_result()
    first = world.check_in(key_result, 5)
    await runtime.runner.catch_up()
    newer = await open_runtime(runtime.url, views=NEWER_HISTORY)
    try:
        assert newer.runner.rebuilt == ["check_in_history", "key_results"]
        correction = CorrectCheckIn(
            key_result, check_in_id=first, value=6, confidence=5, reason="typo"
        )
        runtime.app.handle(world.ctx, correction)
        yield world, key_result, newer
    finally:
        await newer.close()


async def test_an_old_process_passes_over_the_views_reading_one_stored_at_a_newer_version(
    runtime: Runtime,
) -> None:
    async with newer_history_beside(runtime) as (_, key_result, newer):
        await runtime.runner.catch_up()
        assert await current_value(runtime, key_result) == 5
        await newer.runner.catch_up()
        assert await current_value(runtime, key_result) == 6


async def test_an_old_process_counts_only_the_views_it_applies_in_its_lag(
    runtime: Runtime,
) -> None:
    async with newer_history_beside(runtime) as _:
        head = await runtime.runner.source.head()
        assert await runtime.runner.catch_up() == head
        positions = await runtime.runner.positions()
        assert "check_in_history" not in positions
        assert "key_results" not in positions
        assert await runtime.runner.lag() == 0
        assert await runtime.runner.wait_for(head, timeout=1)


async def test_an_old_process_leaves_a_view_stored_at_a_newer_version_alone(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl, caplog: pytest.LogCaptureFixture
) -> None:
    newer = await open_runtime(database_url, views=NEXT_VERSION)
    await newer.close()
    with caplog.at_level(logging.WARNING, logger="okr.views.view_runner"):
        old = await open_runtime(database_url)
        try:
            assert old.runner.rebuilt == []
            await old.runner.catch_up()
            await old.runner.catch_up()
        finally:
            await old.close()
    assert await stored_version(runtime, "recognitions") == 2
    assert "message_length" in (await recognitions(runtime.store))[0]
    passing = [r.getMessage() for r in caplog.records if "passing it over" in r.getMessage()]
    assert passing == ["recognitions is stored at version 2, not 1: passing it over"]


async def test_a_replay_in_an_old_process_leaves_a_view_stored_at_a_newer_version_alone(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl
) -> None:
    newer = await open_runtime(database_url, views=NEXT_VERSION)
    await newer.close()
    report = await replay(runtime.runner)
    assert report.differences == []
    assert await stored_version(runtime, "recognitions") == 2
    assert "message_length" in (await recognitions(runtime.store))[0]


class LosableLease:
    """A lease the test can declare lost (a SQLite lease cannot really be lost)."""

    def __init__(self, lease: Lease, lost: asyncio.Event) -> None:
        self.held = lease.held
        self._lease, self._lost = lease, lost

    async def alive(self) -> bool:
        return not self._lost.is_set() and await self._lease.alive()


def losable(
    leadership: Callable[[str], AbstractAsyncContextManager[Lease]], lost: asyncio.Event
) -> Callable[[str], AbstractAsyncContextManager[Lease]]:
    @asynccontextmanager
    async def lead(name: str) -> AsyncIterator[Lease]:
        async with leadership(name) as lease:
            yield LosableLease(lease, lost)

    return lead


async def lose_the_rebuild_lease(runtime: Runtime, lost: asyncio.Event) -> None:
    """On PostgreSQL, end the connection holding the rebuild's advisory lock; on SQLite, say
    the lease is lost."""
    if runtime.store.dialect == "sqlite":
        lost.set()
        return
    key = lock_key(f"{runtime.url.schema or 'public'}:{REBUILDING}")
    ended = await runtime.store.fetch(
        "SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_locks WHERE locktype = 'advisory' "
        "AND granted AND ((classid::bigint << 32) | objid::bigint) = $1",
        key,
    )
    assert ended == [{"ended": True}]


@pytest.mark.parametrize("lose_at", ["first batch", "last batch"])
async def test_a_rebuild_that_loses_its_lease_gives_up_and_the_next_start_retries(
    runtime: Runtime,
    demo: Demo,
    database_url: DatabaseUrl,
    monkeypatch: pytest.MonkeyPatch,
    lose_at: str,
) -> None:
    lost, built = asyncio.Event(), []
    head = await runtime.runner.source.head()
    monkeypatch.setattr(runtime.store, "leadership", losable(runtime.store.leadership, lost))

    async def lose(reached: int) -> None:
        built.append(reached)
        if reached == head or lose_at == "first batch":
            await lose_the_rebuild_lease(runtime, lost)

    views = all_views(views=NEXT_VERSION)
    upgrading = ViewRunner(runtime.store, runtime.runner.source, views, batch_size=20)
    upgrading.on_rebuild = lose
    with pytest.raises(RebuildAbandoned, match="lost the rebuild lease"):
        await upgrading.setup()
    assert len(built) == 1 if lose_at == "first batch" else built[-1] == head
    assert await stored_version(runtime, "recognitions") == 1
    assert "message_length" not in (await recognitions(runtime.store))[0]

    again = await open_runtime(database_url, views=NEXT_VERSION)
    try:
        assert again.runner.rebuilt == ["recognitions"]
        assert await stored_version(runtime, "recognitions") == 2
        assert await names_with_prefix(again.store) == []
    finally:
        await again.close()


async def test_a_rebuild_first_drops_the_fresh_tables_a_rebuild_that_died_left(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl
) -> None:
    async with runtime.store.setup() as conn:
        await Kpis("next_").create(conn)
    assert "next_kpis" in await names_with_prefix(runtime.store)
    upgraded = await open_runtime(database_url, views=NEXT_VERSION)
    try:
        assert upgraded.runner.rebuilt == ["recognitions"]
        assert await names_with_prefix(upgraded.store) == []
    finally:
        await upgraded.close()


async def test_a_read_while_the_swap_is_open_returns_the_old_or_the_new_rows(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await recognitions(runtime.store)
    swapped, resume = asyncio.Event(), asyncio.Event()
    swap = Beside.swap

    async def pause_after_swapping(beside: Beside, conn: SqlConnection) -> None:
        await swap(beside, conn)
        swapped.set()
        await resume.wait()

    monkeypatch.setattr(Beside, "swap", pause_after_swapping)
    starting = asyncio.create_task(open_runtime(database_url, views=NEXT_VERSION))
    try:
        await asyncio.wait_for(swapped.wait(), 30)
        reading = asyncio.create_task(recognitions(runtime.store))
        if runtime.store.dialect == "postgresql":
            await asyncio.wait_for(blocked_on_a_lock(runtime), 10)
            assert not reading.done()
    finally:
        resume.set()
    upgraded = await asyncio.wait_for(starting, 60)
    try:
        rows = await reading
        after = await recognitions(upgraded.store)
        assert "message_length" in after[0]
        assert rows in (before, after)
    finally:
        await upgraded.close()


async def blocked_on_a_lock(runtime: Runtime) -> None:
    """Wait until a query of the recognitions waits on a lock (the swap's)."""
    while not await runtime.store.fetch(
        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE 'SELECT * FROM recognitions%'"
    ):
        await asyncio.sleep(0.01)


def views_for_rebuild_set() -> list[View]:
    """top reads middle and side, middle and leaf read base; apart stands alone."""

    def view(name: str, *reads: type[View]) -> type[View]:
        made: type[View] = type(name, (View,), {"name": name, "tables": {}, "reads": reads})
        return made

    base = view("base")
    middle = view("middle", base)
    side = view("side")
    top = view("top", middle, side)
    leaf = view("leaf", base)
    return [cls() for cls in in_order([view("apart"), top, leaf, side, middle, base])]


@pytest.mark.parametrize(
    ("changed", "rebuilt"),
    [
        (["base"], ["base", "leaf", "middle", "side", "top"]),
        (["middle"], ["base", "middle", "side", "top"]),
        (["side"], ["base", "middle", "side", "top"]),
        (["top"], ["base", "middle", "side", "top"]),
        (["leaf"], ["base", "leaf"]),
        (["leaf", "apart"], ["apart", "base", "leaf"]),
        ([], []),
    ],
)
def test_a_rebuild_takes_the_changed_views_their_readers_and_what_those_read(
    changed: list[str], rebuilt: list[str]
) -> None:
    views = views_for_rebuild_set()
    assert sorted(view.name for view in rebuild_set(views, changed)) == rebuilt


def test_the_rebuild_set_keeps_the_runners_order() -> None:
    views = views_for_rebuild_set()
    chosen = [view.name for view in rebuild_set(views, ["middle"])]
    assert chosen == [view.name for view in views if view.name in chosen]
    assert chosen.index("base") < chosen.index("middle") < chosen.index("top")
