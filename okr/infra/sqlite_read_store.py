"""The SQLite read store: aiosqlite on its own thread, WAL mode, a busy timeout."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from okr.infra.sql_text import to_qmark, update_statement
from okr.views.database import Lease, Row, SqlConnection

BUSY_TIMEOUT_SECONDS = 5.0
OTHERS_POLL_SECONDS = 0.05


class SqliteConnection:
    """Statements on one aiosqlite connection."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def execute(self, sql: str, *params: Any) -> None:
        await self._db.execute(to_qmark(sql), params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._db.executemany(to_qmark(sql), rows)

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            insert = f"INSERT INTO {table} VALUES ({marks})"
            await self._db.executemany(insert, rows)

    async def update_many(
        self, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        await self.executemany(update_statement(table, key, columns), rows)

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        async with self._db.execute(to_qmark(sql), params) as cursor:
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        rows = await self.fetch(sql, *params)
        return rows[0] if rows else None


class SoleLease:
    """Leadership that cannot be lost: an in-memory database has one process."""

    held = True

    async def alive(self) -> bool:
        return True


class FileLease:
    """Leadership of a SQLite file among processes: an exclusive `flock` on a file beside
    it, taken without waiting, released when the block ends or the process dies."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("a")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.held = False
        else:
            self.held = True

    async def alive(self) -> bool:
        return self.held and not self._file.closed

    def release(self) -> None:
        self._file.close()


class SqliteReadStore(SqliteConnection):
    """One writer connection guarded by a lock; the event store signals new events in-process."""

    dialect = "sqlite"

    def __init__(self, db: aiosqlite.Connection, path: Path | None = None) -> None:
        super().__init__(db)
        self._path = path
        self._lock = asyncio.Lock()
        self._new_events = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    @classmethod
    async def open(cls, path: Path) -> SqliteReadStore:
        db = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        await db.execute("PRAGMA synchronous=NORMAL")
        return cls(db, None if str(path) == ":memory:" else path.resolve())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlConnection]:
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteConnection(self._db)
                await self._db.execute("COMMIT")
            except BaseException:
                await self._db.rollback()
                raise

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        async with self._lock:
            return await super().fetch(sql, *params)

    async def execute(self, sql: str, *params: Any) -> None:
        async with self._lock:
            await super().execute(sql, *params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        async with self._lock:
            await super().executemany(sql, rows)

    def setup(self) -> AbstractAsyncContextManager[SqlConnection]:
        return self.transaction()

    async def analyze(self, tables: Sequence[str]) -> None:
        for table in tables:
            await self.execute(f"ANALYZE {table}")

    def batch(self) -> AbstractAsyncContextManager[SqlConnection]:
        return self.transaction()

    @asynccontextmanager
    async def leadership(self, name: str) -> AsyncIterator[Lease]:
        """Lead `name` for this file if no other process (or store) does; an in-memory
        database has only this one."""
        if self._path is None:
            yield SoleLease()
            return
        lease = FileLease(self._path.with_name(f"{self._path.name}.{name}.lock"))
        try:
            yield lease
        finally:
            lease.release()

    def signal_new_events(self) -> None:
        """Called, from any thread, after events were saved in this process."""
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._new_events.set)

    @asynccontextmanager
    async def wakeups(self) -> AsyncIterator[asyncio.Event]:
        """Set by this process's saves at once, and by other processes' commits to the file
        within `OTHERS_POLL_SECONDS` (SQLite's `data_version` changes with each)."""
        watch = asyncio.create_task(self._watch_others())
        try:
            yield self._new_events
        finally:
            watch.cancel()

    async def _watch_others(self) -> None:
        seen = None
        while True:
            row = await self.fetchrow("PRAGMA data_version")
            version = None if row is None else row["data_version"]
            if seen is not None and version != seen:
                self._new_events.set()
            seen = version
            await asyncio.sleep(OTHERS_POLL_SECONDS)

    async def close(self) -> None:
        await self._db.close()
