"""Views rebuilt from the event log into fresh tables beside the live ones, then swapped in.

On start, a view stored at a lower version than it declares, or whose tables are missing, is
rebuilt. One stored at a newer version (a newer process swapped it in) is left alone, as is
every view reading one: the runner passes them all over (okr.views.view_runner), since rows
derived from tables of a version this process does not know would be wrong for good.
`okr replay` (okr.audit.replay) rebuilds every view this process applies.

1. One process at a time rebuilds (the rebuild lease; another waits for it). It drops any
   fresh tables a rebuild that died left, then fills fresh tables, named PREFIX + the live
   name, from the log in batches of their own, checking before each that it still holds the
   lease (else it gives up, and the next start tries again). The live tables keep answering
   queries meanwhile, and a process still running the old version keeps applying batches to
   those of its views that are not passed over.
2. Then, in one set-up transaction with the positions locked (so no batch runs), the fresh
   tables are brought to the furthest live position, the lease checked once more (set-ups
   are serialized, so no other process can have taken it and touched the fresh tables), the
   live tables dropped, the fresh ones renamed to the live names (their indexes too, so no
   name keeps the prefix), and each view's declared version and position stored.

Which views are rebuilt: each changed view; every view that reads a rebuilt one, since its
rows may derive from what changed; then, transitively, every view those read, so that each
rebuilt view reads tables built to its own position (the live ones may lag behind it, or be
of the old version). A live view that reads one rebuilt only for that reason finds the same
rows after the swap: same version, same log. A process still declaring a changed view's old
version passes over it and its readers once it is swapped in; this process applies them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from okr.views.base import View
from okr.views.database import Lease, ReadStore, SqlConnection
from okr.views.event_feed import EventFeed
from okr.views.positions import (
    apply_batch,
    columns_of,
    create_positions,
    lock_positions,
    passed_over,
    record,
    stored,
    tables_present,
)

log = logging.getLogger(__name__)

PREFIX = "next_"
REBUILDING = "okr-view-rebuild"

Progress = Callable[[int], Awaitable[None]]
"""Awaited after each batch applied to the fresh tables, with the position reached."""


class RebuildAbandoned(RuntimeError):
    """The rebuild lease was lost: another process may be rebuilding into the fresh tables."""


class Runner(Protocol):
    """What a rebuild needs of the view runner."""

    @property
    def store(self) -> ReadStore: ...

    @property
    def source(self) -> EventFeed: ...

    @property
    def views(self) -> Sequence[View]: ...

    @property
    def batch_size(self) -> int: ...

    @property
    def poll_seconds(self) -> float: ...


async def prepare(conn: SqlConnection, dialect: str, views: Sequence[View]) -> list[str]:
    """Create the positions table and any view never set up (empty, at position 0); return
    the names of the views to rebuild: stored at a lower version, or with tables missing (or
    tables but no position). Views stored at a newer version, and those reading one, are left
    alone."""
    await create_positions(conn, dialect)
    rows = await stored(conn)
    present = await tables_present(conn, dialect)
    ahead = passed_over(views, rows, newer_only=True)
    stale = []
    for view in views:
        found = present.intersection(view.tables)
        row = rows.get(view.name)
        if view.name in ahead:
            continue
        if row is None and not found:
            await view.create(conn)
            await record(conn, view, 0)
        elif row is None or row.version < view.version or len(found) < len(view.tables):
            stale.append(view.name)
        else:
            await view.create(conn)
    return stale


def rebuild_set(views: Sequence[View], changed: Collection[str]) -> list[View]:
    """The views (in order, each after those it reads) to rebuild with those `changed`:
    see the module docstring."""
    chosen = set(changed)
    for view in views:
        if any(read.name in chosen for read in view.reads):
            chosen.add(view.name)
    for view in reversed(views):
        if view.name in chosen:
            chosen.update(read.name for read in view.reads)
    return [view for view in views if view.name in chosen]


@asynccontextmanager
async def rebuild_lease(runner: Runner) -> AsyncIterator[Lease]:
    """Be the one process rebuilding views beside the live ones, waiting while another is."""
    waited = False
    while True:
        async with runner.store.leadership(REBUILDING) as lease:
            if lease.held:
                yield lease
                return
        if not waited:
            log.info("another process is rebuilding views; waiting for it")
            waited = True
        await asyncio.sleep(runner.poll_seconds)


async def upgrade(runner: Runner, progress: Progress | None = None) -> list[str]:
    """Set up the runner's views: create those never set up, and rebuild beside the live
    tables and swap in those that are stale. Returns the names of the views rebuilt."""
    dialect = runner.store.dialect
    async with runner.store.setup() as conn:
        stale = await prepare(conn, dialect, runner.views)
    if not stale:
        return []
    async with rebuild_lease(runner) as lease:
        async with runner.store.setup() as conn:
            stale = await prepare(conn, dialect, runner.views)
            ahead = passed_over(runner.views, await stored(conn), newer_only=True)
        if not stale:
            return []
        chosen = [view for view in rebuild_set(runner.views, stale) if view.name not in ahead]
        beside = Beside(runner, chosen, lease)
        names = [view.name for view in beside.fresh]
        log.info("rebuilding %s beside the live views", ", ".join(names))
        await beside.fill(progress)
        async with beside.locked() as conn:
            await beside.swap(conn)
        log.info("swapped in %s at position %d", ", ".join(names), beside.reached)
        return names


class Beside:
    """Fresh instances of some of the runner's views, with tables named PREFIX + the live
    name. Each reads the fresh instance of a view it reads, or else the live one. `lease` is
    the rebuild lease, checked before each step that touches the fresh tables."""

    def __init__(self, runner: Runner, views: Sequence[View], lease: Lease) -> None:
        self.runner = runner
        self.lease = lease
        self.reached = 0
        rebuilt = {view.name for view in views}
        made = {view.name: view for view in runner.views}
        self.fresh: list[View] = []
        for view in runner.views:
            if view.name in rebuilt:
                sources = {read.name: made[read.name] for read in view.reads}
                made[view.name] = type(view)(PREFIX, sources)
                self.fresh.append(made[view.name])

    async def hold(self) -> None:
        """Raise RebuildAbandoned (logged) unless the rebuild lease is still held (a lease
        that cannot say, its connection in a broken state, counts as lost)."""
        try:
            held = await self.lease.alive()
        except Exception:
            log.exception("could not check the rebuild lease")
            held = False
        if not held:
            names = ", ".join(view.name for view in self.fresh)
            log.error("lost the rebuild lease; abandoning the rebuild of %s", names)
            raise RebuildAbandoned(f"lost the rebuild lease while rebuilding {names}")

    async def fill(self, progress: Progress | None = None) -> None:
        """Drop every fresh table (those a rebuild that died left too), create this one's
        afresh and apply the log to them up to its head, a batch per transaction."""
        store, source = self.runner.store, self.runner.source
        async with store.setup() as conn:
            await self.hold()
            present = await tables_present(conn, store.dialect)
            for table in sorted(name for name in present if name.startswith(PREFIX)):
                await conn.execute(f"DROP TABLE IF EXISTS {table}")
            for view in self.fresh:
                await view.create(conn)
        self.reached = 0
        while batch := await source.read(self.reached, self.runner.batch_size):
            await self.hold()
            async with store.transaction() as conn:
                await apply_batch(conn, self.fresh, batch)
            self.reached = batch[-1].position
            if progress is not None:
                await progress(self.reached)

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[SqlConnection]:
        """A set-up transaction with the positions locked, in which the fresh tables have
        been brought to the furthest position a live view has reached."""
        async with self.runner.store.setup() as conn:
            await lock_positions(conn)
            rows = await stored(conn)
            names = {view.name for view in self.runner.views}
            live = [row.position for name, row in rows.items() if name in names]
            target = max([self.reached, *live])
            while self.reached < target:
                read = await self.runner.source.read(self.reached, self.runner.batch_size)
                batch = [envelope for envelope in read if envelope.position <= target]
                if not batch:
                    break
                await apply_batch(conn, self.fresh, batch)
                self.reached = batch[-1].position
            yield conn

    async def swap(self, conn: SqlConnection, keep: Collection[str] = ()) -> None:
        """Within `locked`: replace the live tables with the fresh ones and store each view's
        version and position; the views named in `keep` stay as they are (their fresh tables
        are dropped). Raises RebuildAbandoned, swapping nothing, if the lease was lost."""
        await self.hold()
        for view in self.fresh:
            if view.name in keep:
                await view.drop(conn)
                continue
            for table in view.tables:
                await conn.execute(f"DROP TABLE IF EXISTS {table}")
                await conn.execute(f"ALTER TABLE {PREFIX}{table} RENAME TO {table}")
            await self._rename_indexes(conn, view)
            await record(conn, view, self.reached)

    async def _rename_indexes(self, conn: SqlConnection, view: View) -> None:
        """PostgreSQL renames every index of the view's tables (primary keys too); SQLite
        renames those with its tables, and cannot rename the declared ones: they are made
        again under the live names."""
        if self.runner.store.dialect == "sqlite":
            for index, definition in view.indexes.items():
                table, _, columns = definition.partition(" ")
                await conn.execute(f"DROP INDEX IF EXISTS {PREFIX}{index}")
                await conn.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} {columns}")
            return
        rows = await conn.fetch(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY($1::text[])",
            list(view.tables),
        )
        for name in (row["indexname"] for row in rows):
            if name.startswith(PREFIX):
                await conn.execute(f"ALTER INDEX {name} RENAME TO {name.removeprefix(PREFIX)}")


async def rows_only_in(conn: SqlConnection, dialect: str, table: str, other: str) -> int:
    """How many rows of `table` `other` does not hold, compared on the columns both have, by
    name (every row when `other` is missing; none when `table` is)."""
    mine = await columns_of(conn, dialect, table)
    theirs = set(await columns_of(conn, dialect, other))
    shared = ", ".join(column for column in mine if column in theirs)
    if not mine:
        return 0
    query = (
        f"SELECT {shared} FROM {table} EXCEPT SELECT {shared} FROM {other}"
        if shared
        else f"SELECT * FROM {table}"
    )
    row = await conn.fetchrow(f"SELECT COUNT(*) AS n FROM ({query}) AS d")
    return 0 if row is None else int(row["n"])
