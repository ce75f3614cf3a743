"""Follows the event store and applies each batch to every view in one transaction.

Views are applied in the order their `reads` give (okr.views.catalog). On set-up, a view
stored at a lower version than its declared one is rebuilt beside the live tables and swapped
in (okr.views.rebuild). A batch passes over any view stored at a version other than this
process's (a newer process has rebuilt it, so this one must not write to its tables), and
over every view that reads one, transitively: its rows would derive from tables this process
neither knows nor keeps up, and, positions stored, would stay wrong. The process that
declares the stored version applies them all; positions and lag count only the views this
process applies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from okr.views.base import Envelope, View
from okr.views.catalog import in_order
from okr.views.database import Lease, ReadStore, SqlConnection
from okr.views.event_feed import EventFeed
from okr.views.positions import (
    POSITIONS,
    Stored,
    apply_batch,
    lock_positions,
    passed_over,
    stored,
)
from okr.views.rebuild import Progress, upgrade

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
POLL_SECONDS = 1.0
ANALYZE_AFTER = 20_000
MAX_BACKOFF = 30.0
LEADERSHIP = "okr-read-models"
__all__ = ["POSITIONS", "ViewRunner", "apply_batch"]


class ViewRunner:
    """Exactly-once views: rows and positions commit together, a batch at a time."""

    def __init__(
        self,
        store: ReadStore,
        source: EventFeed,
        views: Sequence[View],
        *,
        batch_size: int = BATCH_SIZE,
        poll_seconds: float = POLL_SECONDS,
        on_batch: Callable[[int], None] | None = None,
        on_rebuild: Progress | None = None,
    ) -> None:
        """`views` are applied in the order their `reads` give (a view read by another
        missing, or a cycle, is refused); `on_rebuild` is awaited after each batch of a
        rebuild beside the live views, with the position it reached."""
        self.store = store
        self.source = source
        self.views = in_order(views)
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.on_batch = on_batch
        self.on_rebuild = on_rebuild
        self.rebuilt: list[str] = []
        self.leading = False
        self.standing_by = False
        self._advanced = asyncio.Condition()
        self._ahead: tuple[int, asyncio.Task[list[Envelope]]] | None = None
        self._applied = 0
        self._unanalyzed = 0
        self._analyzing: asyncio.Task[None] | None = None
        self._outdated: set[str] = set()

    async def setup(self) -> None:
        """Create the views' tables and position rows if they are missing, and rebuild any
        view stored at a lower version (or with tables missing) beside the live tables, then
        swap it in (waiting while another process does); one stored at a newer version is
        left alone. `rebuilt` names the views this process rebuilt."""
        self.rebuilt = await upgrade(self, self.on_rebuild)

    async def applied(self, conn: SqlConnection | None = None) -> list[View]:
        """The views this process applies: all but those it passes over (see the module)."""
        return self._current(await stored(conn or self.store))

    async def positions(self, conn: SqlConnection | None = None) -> dict[str, int]:
        """How far each view this process applies has got (every view, if it applies none:
        another process applies them)."""
        rows = await stored(conn or self.store)
        return {p.name: _at(rows, p.name) for p in self._current(rows) or self.views}

    async def position(self, conn: SqlConnection | None = None) -> int:
        """The position every view this process applies has reached."""
        return min((await self.positions(conn)).values())

    async def lag(self) -> int:
        """How many events the views this process applies are behind the event store."""
        return max(await self.source.head() - await self.position(), 0)

    async def step(self) -> int:
        """Apply the next batch, if any; returns how many events it applied.

        The positions are locked first (a no-op update takes the row locks on PostgreSQL and
        the write lock on SQLite), so a second runner waits and then starts after this batch.
        After a full batch, the next one is read while this one is applied.
        """
        async with self.store.batch() as conn:
            await lock_positions(conn)
            rows = await stored(conn)
            current = self._current(rows)
            if not current:
                return 0
            reached = {view.name: _at(rows, view.name) for view in current}
            batch = await self._read(min(reached.values()))
            if not batch:
                return 0
            if len(batch) == self.batch_size:
                last = batch[-1].position
                self._ahead = (last, asyncio.create_task(self.source.read(last, self.batch_size)))
            await apply_batch(conn, current, batch, reached)
            await self._save_positions(conn, reached, batch[-1].position)
        if self.on_batch is not None:
            self.on_batch(batch[-1].position)
        async with self._advanced:
            self._applied = max(self._applied, batch[-1].position)
            self._advanced.notify_all()
        return len(batch)

    def _current(self, rows: dict[str, Stored]) -> list[View]:
        """The views, given the stored `rows`, that this process applies (warning once of
        each it passes over)."""
        passed = passed_over(self.views, rows)
        for view in self.views:
            if view.name not in passed or view.name in self._outdated:
                continue
            self._outdated.add(view.name)
            row = rows.get(view.name)
            if row is not None and row.version != view.version:
                log.warning(
                    "%s is stored at version %d, not %d: passing it over",
                    view.name,
                    row.version,
                    view.version,
                )
            else:
                log.warning("%s reads a view passed over: passing it over too", view.name)
        return [view for view in self.views if view.name not in passed]

    async def _read(self, after: int) -> list[Envelope]:
        """The batch after `after`: the one read ahead if it starts there, else a fresh read."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            start, task = ahead
            if start == after:
                return await task
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        return await self.source.read(after, self.batch_size)

    async def _save_positions(
        self, conn: SqlConnection, reached: dict[str, int], position: int
    ) -> None:
        names = ", ".join(f"${n}" for n in range(2, len(reached) + 2))
        await conn.execute(
            f"UPDATE {POSITIONS} SET position = $1 WHERE position < $1 AND name IN ({names})",
            position,
            *reached,
        )

    async def catch_up(self) -> int:
        """Apply batches until the views reach the head of the log; returns the position.

        After many events the views' tables are vacuumed and analyzed, so the query planner
        knows their new sizes (a rebuild or a long catch-up changes them wholesale); while this
        runner leads the views, that happens beside them rather than in their way.
        """
        while applied := await self.step():
            self._unanalyzed += applied
        if self._unanalyzed >= ANALYZE_AFTER:
            if self.leading:
                self._analyzing = self._analyzing or asyncio.create_task(self._analyze_aside())
            else:
                await self.analyze()
        return await self.position()

    async def _analyze_aside(self) -> None:
        """Analyze beside the running views, so readers waiting on a batch never wait on it."""
        try:
            await self.analyze()
        except Exception:
            log.exception("analyzing the views failed; the next long catch-up tries again")
        finally:
            self._analyzing = None

    async def analyze(self) -> None:
        """Refresh the planner's statistics for every view table (`ReadStore.analyze`)."""
        self._unanalyzed = 0
        await self.store.analyze([view.p + table for view in self.views for table in view.tables])

    async def wait_for(self, position: int, timeout: float = 2.0) -> bool:
        """Wait, at most `timeout` seconds, until every view has reached `position`.

        Batches applied in this process wake the waiter at once; when another process leads,
        the stored positions are polled instead.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._applied < position and (self.leading or await self.position() < position):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            async with self._advanced:
                if self._applied >= position:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._advanced.wait(), min(remaining, 0.05))
        return True

    async def run(self) -> None:
        """Lead the views when no other process does, and follow the log until cancelled.

        Failures (a lost connection, a database restart) are logged and retried; the runner
        only stops when cancelled.
        """
        while True:
            try:
                async with self.store.leadership(LEADERSHIP) as lease:
                    if lease.held:
                        self.leading = True
                        log.info("leading the read models")
                        await self._follow(lease)
                    elif not self.standing_by:
                        log.info("standing by: another process leads the read models")
                    self.standing_by = not lease.held
            except Exception:
                log.exception("the view runner failed; retrying")
            self.leading = False
            await asyncio.sleep(self.poll_seconds)

    async def _follow(self, lease: Lease) -> None:
        """Catch up whenever woken or polled, until the lease is lost."""
        failures = 0
        async with self.store.wakeups() as woken:
            while await lease.alive():
                woken.clear()
                try:
                    await self.catch_up()
                    failures = 0
                except Exception:
                    failures += 1
                    log.exception("a view batch failed (%d in a row); retrying", failures)
                    await asyncio.sleep(min(self.poll_seconds * 2**failures, MAX_BACKOFF))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), self.poll_seconds)
        log.warning("lost the read models' leadership connection")


def _at(rows: dict[str, Stored], name: str) -> int:
    """The position stored for the view `name`; 0 if none is."""
    return rows[name].position if name in rows else 0
