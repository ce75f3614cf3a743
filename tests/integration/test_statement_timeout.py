"""On PostgreSQL, the server's read statements are cancelled past the time limit; what the
views write (batches, setup, rebuilds) and their maintenance are exempt and finish."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest

from okr.bootstrap import open_runtime
from okr.infra.event_store import DatabaseUrl
from tests import postgres

LIMIT = 0.2
SLEEP = "SELECT pg_sleep(0.5) AS slept"


pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[DatabaseUrl]:
    """A fresh PostgreSQL schema (a statement timeout is PostgreSQL's)."""
    with postgres.throwaway_schema(postgres_database) as schema:
        yield DatabaseUrl(f"{postgres_database}?schema={schema}")


async def test_a_read_past_the_limit_is_cancelled_by_postgresql(postgres_url: DatabaseUrl) -> None:
    runtime = await open_runtime(postgres_url, statement_seconds=LIMIT)
    try:
        with pytest.raises(asyncpg.QueryCanceledError, match="statement timeout"):
            await runtime.store.fetchrow(SLEEP)
        assert await runtime.store.fetchrow("SELECT 1 AS ok") == {"ok": 1}
    finally:
        await runtime.close()


async def test_writes_and_maintenance_are_exempt(postgres_url: DatabaseUrl) -> None:
    runtime = await open_runtime(postgres_url, statement_seconds=LIMIT)
    store = runtime.store
    try:
        for opened in (store.batch, store.setup, store.transaction):
            async with opened() as conn:
                assert await conn.fetchrow(SLEEP) == {"slept": None}
        await runtime.runner.analyze()
        with pytest.raises(asyncpg.QueryCanceledError):
            await store.fetchrow(SLEEP)
    finally:
        await runtime.close()


async def test_without_a_limit_nothing_is_cancelled(postgres_url: DatabaseUrl) -> None:
    runtime = await open_runtime(postgres_url)
    try:
        assert await runtime.store.fetchrow(SLEEP) == {"slept": None}
    finally:
        await runtime.close()
