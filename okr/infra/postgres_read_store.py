"""The PostgreSQL read store: an asyncpg pool, advisory-lock leadership, LISTEN wake-ups."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from okr.infra.postgres_setup import EVENTS_TABLE, lock_key, setup_lock_key
from okr.infra.sql_text import update_statement
from okr.views.database import Lease, Row, SqlConnection

T = TypeVar("T")
CHANNEL = "okr_events"
UNBOUNDED = "set_config('statement_timeout', '0', true)"
READ_ATTEMPTS = 3
LOST_CONNECTION = (
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.ConnectionFailureError,
    asyncpg.AdminShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.InternalClientError,
)
"""What a read gets when the server dropped its connection (an idle connection the server
terminated can also leave asyncpg's protocol confused, an InternalClientError): a read
changed nothing, so it may be sent again."""
CLOSE_SECONDS = 10.0
log = logging.getLogger(__name__)

NOTIFY_TRIGGER = f"""
CREATE OR REPLACE FUNCTION okr_notify_new_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$;
CREATE TRIGGER okr_events_notify AFTER INSERT ON {EVENTS_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION okr_notify_new_events();
"""


class AdvisoryLease:
    """An advisory lock held by one connection: lost if that connection is."""

    def __init__(self, held: bool, conn: asyncpg.Connection) -> None:
        self.held = held
        self._conn = conn

    async def alive(self) -> bool:
        if self._conn.is_closed():
            return False
        try:
            await self._conn.fetchval("SELECT 1", timeout=5)
        except (
            asyncpg.PostgresError,
            asyncpg.InterfaceError,
            asyncpg.InternalClientError,
            OSError,
            TimeoutError,
        ):
            return False
        return True


COPY_FROM = 50
"""Appends of this many rows go by COPY; fewer go as INSERTs, which take fewer round trips."""


class PooledConnection(asyncpg.Connection):
    """A pool connection: okr keeps no session state on one (locks are per transaction,
    settings are set at connect), so handing it back needs no reset round trip."""

    def get_reset_query(self) -> str:
        return ""


class PostgresConnection:
    """Statements on an asyncpg connection or pool."""

    def __init__(
        self, conn: asyncpg.Connection | asyncpg.Pool | PoolConnectionProxy[asyncpg.Record]
    ) -> None:
        self._conn = conn

    async def execute(self, sql: str, *params: Any) -> None:
        await self._conn.execute(sql, *params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        if len(rows) >= COPY_FROM:
            await self._conn.copy_records_to_table(table, records=rows)
        elif rows:
            marks = ", ".join(f"${n}" for n in range(1, len(rows[0]) + 1))
            insert = f"INSERT INTO {table} VALUES ({marks})"
            await self._conn.executemany(insert, rows)

    async def update_many(
        self, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Many rows go by COPY into a temporary table made for these columns (dropped at
        commit, so a view swapped to new columns never meets an old one), then one UPDATE."""
        if len(rows) < COPY_FROM:
            await self.executemany(update_statement(table, key, columns), rows)
            return
        changes = f"{table}_changes"
        listed = ", ".join([*columns, key])
        await self._conn.execute(f"DROP TABLE IF EXISTS pg_temp.{changes}")
        await self._conn.execute(
            f"CREATE TEMP TABLE {changes} ON COMMIT DROP AS "
            f"SELECT {listed} FROM {table} WITH NO DATA"
        )
        await self._conn.copy_records_to_table(changes, records=rows, columns=[*columns, key])
        assignments = ", ".join(f"{column} = c.{column}" for column in columns)
        await self._conn.execute(
            f"UPDATE {table} t SET {assignments} FROM {changes} c WHERE t.{key} = c.{key}"
        )

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        return [dict(r) for r in await self._conn.fetch(sql, *params)]

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        row = await self._conn.fetchrow(sql, *params)
        return None if row is None else dict(row)


class PostgresReadStore(PostgresConnection):
    """Read models in the events' database and schema.

    The pool commits without waiting for the disk (`synchronous_commit` off): views derive
    from the log, and a crash can only lose whole batches, rows and positions together,
    which the runner then applies again.

    With `statement_seconds`, PostgreSQL cancels any statement of the pool's that runs
    longer (reads for clients are bounded); the transactions of batches, setup and
    rebuilds, and `analyze`, are exempt, since what they write must finish.
    """

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, dsn: str, schema: str | None) -> None:
        super().__init__(pool)
        self._pool = pool
        self._dsn = dsn
        self._schema = schema or "public"
        self._settings = {"search_path": schema} if schema else {}

    @classmethod
    async def open(
        cls,
        dsn: str,
        schema: str | None,
        max_size: int = 20,
        statement_seconds: float | None = None,
    ) -> PostgresReadStore:
        settings = {"search_path": schema} if schema else {}
        settings["synchronous_commit"] = "off"
        if statement_seconds is not None:
            settings["statement_timeout"] = str(max(1, round(statement_seconds * 1000)))
        pool = await asyncpg.create_pool(
            dsn,
            min_size=1,
            max_size=max_size,
            server_settings=settings,
            command_timeout=60,
            connection_class=PooledConnection,
        )
        return cls(pool, dsn, schema)

    async def install_notify_trigger(self) -> None:
        """Make every insert into the events table NOTIFY listeners on commit (once)."""
        async with self.setup() as conn:
            installed = await conn.fetchrow(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'okr_events_notify' "
                "AND tgrelid = to_regclass($1)",
                f"{self._schema}.{EVENTS_TABLE}",
            )
            if installed is None or not installed["count"]:
                await conn.execute(NOTIFY_TRIGGER)

    @asynccontextmanager
    async def _unbounded(self, first: str, *params: Any) -> AsyncIterator[SqlConnection]:
        """A transaction with no statement timeout, opened by the statement `first` (which
        takes one round trip with lifting the timeout)."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(f"SELECT {UNBOUNDED}, {first}", *params)
            yield PostgresConnection(conn)

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        return await self._read(super().fetch, sql, *params)

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        return await self._read(super().fetchrow, sql, *params)

    async def _read(self, read: Callable[..., Awaitable[T]], sql: str, *params: Any) -> T:
        """`read`'s answer; a connection the server dropped (a restart, a terminated
        backend) is replaced and the read sent again, up to READ_ATTEMPTS times."""
        for _ in range(READ_ATTEMPTS - 1):
            try:
                return await read(sql, *params)
            except LOST_CONNECTION as error:
                log.warning("a read lost its connection (%s); sent again", type(error).__name__)
        return await read(sql, *params)

    def transaction(self) -> AbstractAsyncContextManager[SqlConnection]:
        return self._unbounded("1")

    def setup(self) -> AbstractAsyncContextManager[SqlConnection]:
        return self._unbounded("pg_advisory_xact_lock($1)", setup_lock_key(self._schema))

    def batch(self) -> AbstractAsyncContextManager[SqlConnection]:
        return self._unbounded("pg_advisory_xact_lock_shared($1)", setup_lock_key(self._schema))

    async def analyze(self, tables: Sequence[str]) -> None:
        """VACUUM (ANALYZE) each table: fresh statistics, and the row versions that batches'
        updates left behind reclaimed (they would otherwise bloat every index scan until
        autovacuum, if it runs, gets there)."""
        async with self._pool.acquire() as conn:
            await conn.execute("SET statement_timeout = 0")
            try:
                for table in tables:
                    await conn.execute(f"VACUUM (ANALYZE) {table}")
            finally:
                await conn.execute("RESET statement_timeout")

    async def _dedicated(self, role: str) -> asyncpg.Connection:
        """A connection of its own, named `okr-<role>-<pid>` in pg_stat_activity."""
        settings = self._settings | {"application_name": f"okr-{role}-{os.getpid()}"}
        return await asyncpg.connect(self._dsn, server_settings=settings)

    @asynccontextmanager
    async def leadership(self, name: str) -> AsyncIterator[Lease]:
        """Holds a session advisory lock on its own connection; a dead holder frees it."""
        conn = await self._dedicated("runner")
        try:
            key = lock_key(f"{self._schema}:{name}")
            held = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", key))
            yield AdvisoryLease(held, conn)
        finally:
            await conn.close()

    @asynccontextmanager
    async def wakeups(self) -> AsyncIterator[asyncio.Event]:
        conn = await self._dedicated("listener")
        woken = asyncio.Event()
        await conn.add_listener(CHANNEL, lambda *_: woken.set())
        try:
            yield woken
        finally:
            await conn.close()

    async def close(self) -> None:
        """Close the pool, waiting CLOSE_SECONDS at most for connections still in use to be
        released; after that they are terminated, so a shutdown never hangs."""
        try:
            await asyncio.wait_for(self._pool.close(), CLOSE_SECONDS)
        except TimeoutError:
            log.warning(
                "read-store connections still in use after %s s; terminating", CLOSE_SECONDS
            )
            self._pool.terminate()
