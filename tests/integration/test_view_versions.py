"""A view whose version changes is rebuilt beside the live one and swapped in on start, with
queries answered throughout; views are applied in the order their `reads` give."""

from __future__ import annotations

import asyncio
from functools import singledispatchmethod

import pytest

from okr.bootstrap import Runtime, open_runtime
from okr.demo import Demo
from okr.domain.commands import CorrectCheckIn, GiveRecognition
from okr.domain.recognition import Recognition
from okr.infra.event_store import DatabaseUrl
from okr.services.context import Context
from okr.views.base import View, ident, iso
from okr.views.catalog import VIEWS, CatalogError, all_views, in_order
from okr.views.check_in_history import CheckInHistory
from okr.views.database import ReadStore, Row, SqlConnection
from okr.views.key_results import KeyResults
from okr.views.positions import POSITIONS, columns_of, tables_present
from okr.views.rebuild import PREFIX
from okr.views.recognitions import Recognitions
from okr.views.view_runner import ViewRunner
from tests.world import World


class LongerRecognitions(Recognitions):
    """The recognitions view at its next version: each row also holds its message's length."""

    version = Recognitions.version + 1
    tables = {
        "recognitions": Recognitions.tables["recognitions"] + ", message_length INTEGER NOT NULL"
    }

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: Recognition.Given, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}recognitions (id, organization_id, person_id, objective_id, "
            "key_result_id, kind, message, given_by, given_at, message_length) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            str(event.originator_id),
            str(event.organization_id),
            str(event.person_id),
            ident(event.objective_id),
            ident(event.key_result_id),
            event.kind,
            event.message,
            event.actor,
            iso(event.timestamp),
            len(event.message),
        )


NEXT_VERSION = [LongerRecognitions if view is Recognitions else view for view in VIEWS]


def give_recognition(runtime: Runtime, demo: Demo, message: str) -> str:
    person, objective = next(iter(demo.people.values())), next(iter(demo.objectives.values()))
    command = GiveRecognition(person_id=person, objective_id=objective, message=message)
    return str(runtime.app.handle(Context(demo.organization_id, "system:test"), command).id)


async def recognitions(store: ReadStore) -> list[Row]:
    return await store.fetch("SELECT * FROM recognitions ORDER BY id")


async def names_with_prefix(store: ReadStore) -> list[str]:
    """Tables and indexes whose names still carry the rebuild's prefix."""
    tables = await tables_present(store, store.dialect)
    if store.dialect == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()"
    indexes = {row["name"] for row in await store.fetch(query)}
    return sorted(name for name in tables | indexes if PREFIX in name)


async def read_until(store: ReadStore, done: asyncio.Task[Runtime]) -> list[int]:
    """Query the live recognitions again and again until `done` finishes: the row counts."""
    counts = []
    while not done.done():
        counts.append(len(await recognitions(store)))
        await asyncio.sleep(0)
    return counts


async def test_a_changed_view_is_rebuilt_beside_the_live_one_and_swapped_in(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl
) -> None:
    before = await recognitions(runtime.store)
    assert before
    paused, resume = asyncio.Event(), asyncio.Event()
    built: list[int] = []

    async def pause_after_two_batches(reached: int) -> None:
        built.append(reached)
        if len(built) == 2:
            paused.set()
            await resume.wait()

    starting = asyncio.create_task(
        open_runtime(
            database_url, views=NEXT_VERSION, batch_size=20, on_rebuild=pause_after_two_batches
        )
    )
    reading = asyncio.create_task(read_until(runtime.store, starting))
    try:
        await asyncio.wait_for(paused.wait(), 30)
        assert await recognitions(runtime.store) == before
        assert "message_length" not in before[0]
        beside = await columns_of(runtime.store, runtime.store.dialect, f"{PREFIX}recognitions")
        assert "message_length" in beside
        give_recognition(runtime, demo, "Kept the lights on during the rebuild")
        await runtime.runner.catch_up()
        live = await recognitions(runtime.store)
        assert len(live) == len(before) + 1
    finally:
        resume.set()
    upgraded = await asyncio.wait_for(starting, 60)
    try:
        counts = await reading
        assert counts
        assert all(count in {len(before), len(live)} for count in counts)
        assert upgraded.runner.rebuilt == ["recognitions"]
        head = await runtime.runner.source.head()
        assert built == sorted(built)
        assert built[-1] == head

        rows = await recognitions(upgraded.store)
        assert [without(row, "message_length") for row in rows] == live
        assert [row["message_length"] for row in rows] == [len(row["message"]) for row in rows]
        stored = await upgraded.store.fetchrow(
            f"SELECT position, version FROM {POSITIONS} WHERE name = 'recognitions'"
        )
        assert stored == {"position": head, "version": 2}
        assert await names_with_prefix(upgraded.store) == []

        after = give_recognition(runtime, demo, "Given after the swap")
        await runtime.runner.catch_up()
        assert [row["id"] for row in await recognitions(upgraded.store)] == [r["id"] for r in rows]
        await upgraded.runner.catch_up()
        row = next(row for row in await recognitions(upgraded.store) if row["id"] == after)
        assert row["message_length"] == len("Given after the swap")

        again_built: list[int] = []

        async def note(reached: int) -> None:
            again_built.append(reached)

        again = await open_runtime(database_url, views=NEXT_VERSION, on_rebuild=note)
        await again.close()
        assert (again.runner.rebuilt, again_built) == ([], [])
    finally:
        await upgraded.close()


def without(row: Row, column: str) -> Row:
    return {name: value for name, value in row.items() if name != column}


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_of_two_processes_starting_together_one_rebuilds_and_the_other_waits(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl
) -> None:
    started = await asyncio.gather(
        open_runtime(database_url, views=NEXT_VERSION),
        open_runtime(database_url, views=NEXT_VERSION),
        return_exceptions=True,
    )
    processes = [process for process in started if isinstance(process, Runtime)]
    try:
        assert len(processes) == 2, started
        assert sorted(process.runner.rebuilt for process in processes) == [[], ["recognitions"]]
        rows = await recognitions(runtime.store)
        assert [row["message_length"] for row in rows] == [len(row["message"]) for row in rows]
    finally:
        for process in processes:
            await process.close()


async def test_positions_from_before_versions_are_upgraded_on_start(
    runtime: Runtime, demo: Demo, database_url: DatabaseUrl
) -> None:
    reached = await runtime.runner.positions()
    async with runtime.store.setup() as conn:
        for statement in [
            f"CREATE TABLE old_positions AS SELECT name, position FROM {POSITIONS}",
            f"DROP TABLE {POSITIONS}",
            f"CREATE TABLE {POSITIONS} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)",
            f"INSERT INTO {POSITIONS} SELECT name, position FROM old_positions",
            "DROP TABLE old_positions",
        ]:
            await conn.execute(statement)

    upgraded = await open_runtime(database_url)
    try:
        rows = await upgraded.store.fetch(f"SELECT name, position, version FROM {POSITIONS}")
        declared = {view.name: view.version for view in VIEWS}
        assert [name for name, v in declared.items() if v > 1] == ["objectives", "tokens"]
        assert upgraded.runner.rebuilt == ["directory", "objectives", "tokens"]
        assert {r["name"]: (r["position"], r["version"]) for r in rows} == {
            name: (position, declared[name]) for name, position in reached.items()
        }
        assert await upgraded.runner.catch_up() == await upgraded.runner.source.head()
    finally:
        await upgraded.close()


async def test_the_runner_applies_each_view_after_the_views_it_reads(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    key_result = world.active_key_result()
    first = world.check_in(key_result, 5)
    correction = CorrectCheckIn(key_result, check_in_id=first, value=6, confidence=5, reason="typo")
    runtime.app.handle(world.ctx, correction)
    backwards = ViewRunner(runtime.store, runtime.runner.source, all_views()[::-1])

    names = [view.name for view in backwards.views]
    assert names.index(CheckInHistory.name) < names.index(KeyResults.name)
    assert names[0] == VIEWS[-1].name
    await backwards.catch_up()
    row = await runtime.store.fetchrow(
        "SELECT current_value FROM key_results WHERE id = $1", str(key_result)
    )
    assert row == {"current_value": 6}


def views_reading_each_other() -> list[type[View]]:
    class Ping(View):
        name = "ping"
        version = 1
        tables = {"pings": "id TEXT"}

    class Pong(View):
        name = "pong"
        version = 1
        reads = (Ping,)
        tables = {"pongs": "id TEXT"}

    Ping.reads = (Pong,)
    return [Ping, Pong]


def test_views_that_read_each_other_are_refused() -> None:
    with pytest.raises(CatalogError, match="ping, pong read each other in a cycle"):
        in_order([*VIEWS, *views_reading_each_other()])


def test_a_view_reading_one_that_is_missing_is_refused() -> None:
    with pytest.raises(CatalogError, match="key_results reads check_in_history"):
        all_views(views=[view for view in VIEWS if view is not CheckInHistory])
