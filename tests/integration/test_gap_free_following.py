"""Concurrent writers with randomly delayed commits: the runner still sees every event once,
in order. This guards the write side's table lock, which assigns positions in commit order."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from uuid import UUID

import psycopg
import pytest

from okr.audit.verify import verify
from okr.bootstrap import Runtime, open_application, open_runtime
from okr.domain.commands import RecordCheckIn
from okr.infra.event_store import DatabaseUrl
from tests import postgres
from tests.world import WEEK_ONE, World

pytestmark = pytest.mark.postgres

WRITERS = 4
CHECK_INS_EACH = 40

DELAY_SOME_COMMITS = """
CREATE FUNCTION okr_test_delay() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF random() < 0.3 THEN PERFORM pg_sleep(random() * 0.03); END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER okr_test_delay BEFORE INSERT ON okr_events
    FOR EACH ROW EXECUTE FUNCTION okr_test_delay();
"""


@pytest.fixture
async def postgres_ledger(postgres_database: str) -> AsyncIterator[Runtime]:
    with postgres.throwaway_schema(postgres_database) as schema:
        url = DatabaseUrl(f"{postgres_database}?schema={schema}")
        ledger = await open_runtime(url)
        with psycopg.connect(url.postgres_dsn, autocommit=True) as conn:
            conn.execute(f"SET search_path TO {schema}")
            conn.execute(DELAY_SOME_COMMITS)
        yield ledger
        await ledger.close()


def write_check_ins(url: DatabaseUrl, world: World, key_result: UUID) -> None:
    app = open_application(url)
    try:
        for n in range(CHECK_INS_EACH):
            app.handle(
                world.ctx,
                RecordCheckIn(key_result, value=n % 10, confidence=5, effective_at=WEEK_ONE),
            )
    finally:
        app.close()


async def test_delayed_concurrent_commits_reach_the_views_exactly_once(
    postgres_ledger: Runtime,
) -> None:
    ledger = postgres_ledger
    world = await asyncio.to_thread(World.build, ledger.app)
    objective = await asyncio.to_thread(world.objective)
    key_results = [
        await asyncio.to_thread(world.key_result, objective, title=f"Stream {n} improves")
        for n in range(WRITERS)
    ]
    await asyncio.to_thread(world.activate, objective)
    ledger.runner.poll_seconds = 0.05
    follower = asyncio.create_task(ledger.runner.run())
    try:
        await asyncio.gather(
            *(asyncio.to_thread(write_check_ins, ledger.url, world, k) for k in key_results)
        )
        head = await ledger.runner.source.head()
        assert await ledger.caught_up(head, timeout=30)
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower

    stored = [n.id for n in ledger.app.recorder.select_notifications(1, 100_000)]
    applied = await ledger.store.fetch("SELECT position FROM audit_log ORDER BY position")
    assert [r["position"] for r in applied] == stored
    per_key_result = await ledger.store.fetch(
        "SELECT key_result_id, COUNT(*) AS n FROM check_ins GROUP BY key_result_id"
    )
    assert sorted(r["n"] for r in per_key_result) == [CHECK_INS_EACH] * WRITERS
    chain = await verify(ledger.runner.source, ledger.store)
    assert chain.problems == []
    assert chain.events == len(stored)
