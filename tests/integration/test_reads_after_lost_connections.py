"""On PostgreSQL, reads outlive their connections: when the server terminates every
connection of the pool, the next reads are answered on new ones, not failed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import asyncpg
import pytest

from okr.bootstrap import open_runtime
from okr.infra.event_store import DatabaseUrl
from tests import postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[DatabaseUrl]:
    with postgres.throwaway_schema(postgres_database) as schema:
        yield DatabaseUrl(f"{postgres_database}?schema={schema}")


async def terminate_all_but(admin: asyncpg.Connection, database: str) -> int:
    terminated = await admin.fetch(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = $1 AND pid <> pg_backend_pid()",
        database,
    )
    return len(terminated)


async def test_reads_after_every_connection_is_terminated_are_answered(
    postgres_url: DatabaseUrl, postgres_database: str
) -> None:
    runtime = await open_runtime(postgres_url)
    admin = await asyncpg.connect(postgres_database)
    try:
        warm = await asyncio.gather(*[runtime.store.fetchrow("SELECT 1 AS ok") for _ in range(8)])
        assert warm == [{"ok": 1}] * 8
        database = await admin.fetchval("SELECT current_database()")

        assert await terminate_all_but(admin, database) >= 2
        answers = await asyncio.gather(
            *[runtime.store.fetch("SELECT 2 AS ok") for _ in range(8)],
            runtime.store.fetchrow("SELECT 3 AS ok"),
        )

        assert answers == [[{"ok": 2}]] * 8 + [{"ok": 3}]
    finally:
        await admin.close()
        await runtime.close()


async def test_a_statement_that_fails_for_its_own_reasons_is_not_sent_again(
    postgres_url: DatabaseUrl,
) -> None:
    runtime = await open_runtime(postgres_url)
    try:
        with pytest.raises(asyncpg.UndefinedTableError):
            await runtime.store.fetch("SELECT * FROM no_such_table")
    finally:
        await runtime.close()
