"""Projection catch-up: every read model rebuilt from the whole log, beside two baselines."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import psycopg
from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg.sql import SQL, Composed

from bench.run import Run
from bench.stats import Row, median
from okr.bootstrap import open_runtime
from okr.domain.key_result import KeyResult
from okr.services.application import OkrApplication
from okr.views.catalog import all_views
from okr.views.view_runner import POSITIONS

SECTION = "Projection catch-up"
SCAN_BATCH = 500
VIEW = "bench_check_in_counts"


async def views_rate(run: Run) -> float:
    """Drop every view, then catch up from the first event, as `okr project` does."""
    ledger = await open_runtime(run.url)
    try:
        async with ledger.store.setup() as conn:
            for view in all_views():
                await view.drop(conn)
            await conn.execute(f"DROP TABLE IF EXISTS {POSITIONS}")
        await ledger.runner.setup()
        started = time.perf_counter()
        position = await ledger.runner.catch_up()
        return position / (time.perf_counter() - started)
    finally:
        await ledger.close()


async def scan_rate(run: Run) -> float:
    """Read the events table in batches through asyncpg and decode every event."""
    mapper = run.app.mapper
    conn = await asyncpg.connect(run.url.postgres_dsn)
    try:
        started = time.perf_counter()
        after, count = 0, 0
        while rows := await conn.fetch(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM okr_events WHERE notification_id > $1 ORDER BY notification_id LIMIT $2",
            after,
            SCAN_BATCH,
        ):
            for row in rows:
                mapper.to_domain_event(
                    StoredEvent(
                        row["originator_id"], row["originator_version"], row["topic"], row["state"]
                    )
                )
            after, count = rows[-1]["notification_id"], count + len(rows)
        return count / (time.perf_counter() - started)
    finally:
        await conn.close()


class CheckInCounts(PostgresTrackingRecorder):
    """A simple view for the library's runner: check-ins per key result."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements.append(
            Composed(
                [
                    SQL(
                        "CREATE TABLE IF NOT EXISTS bench_check_in_counts "
                        "(key_result_id uuid PRIMARY KEY, check_ins bigint NOT NULL)"
                    )
                ]
            )
        )

    def count(self, key_result_id: Any, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                "INSERT INTO bench_check_in_counts VALUES (%s, 1) ON CONFLICT (key_result_id) "
                "DO UPDATE SET check_ins = bench_check_in_counts.check_ins + 1",
                (key_result_id,),
            )
            self._insert_tracking(curs, tracking)


class CountCheckIns(Projection[CheckInCounts]):
    name = VIEW

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        if isinstance(domain_event, KeyResult.CheckInRecorded):
            self.view.count(domain_event.originator_id, tracking)
        else:
            self.view.insert_tracking(tracking)


def _library(run: Run, events: int) -> float:
    """The library's ProjectionRunner, one event per transaction, over the first `events`."""
    env = run.url.event_store_env() | {"CREATE_TABLE": "y"}
    with _fresh_view(run):
        started = time.perf_counter()
        with ProjectionRunner(
            application_class=OkrApplication,
            projection_class=CountCheckIns,
            view_class=CheckInCounts,
            env=env,
        ) as runner:
            runner.wait(events, timeout=600)
            return events / (time.perf_counter() - started)


@contextmanager
def _fresh_view(run: Run) -> Iterator[None]:
    """The simple view's tables dropped before and after, so each round starts afresh."""

    def drop() -> None:
        with psycopg.connect(run.url.postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {VIEW}, {VIEW}_tracking")

    drop()
    try:
        yield
    finally:
        drop()


async def measure(run: Run) -> list[Row]:
    """Events per second: our runner over the whole log, and both baselines (three rounds
    each: a round of the whole log takes minutes at full size)."""
    total, rounds = run.dataset.events, range(min(run.rounds, 3))
    scan = median([await scan_rate(run) for _ in rounds])
    library_events = min(total, 5_000 if run.quick else 20_000)
    library = median([await asyncio.to_thread(_library, run, library_events) for _ in rounds])
    ours = median([await views_rate(run) for _ in rounds])
    return [
        Row("rebuild.scan", SECTION, "raw asyncpg scan and decode", "events/s", scan),
        Row(
            "rebuild.library",
            SECTION,
            "library ProjectionRunner, one event per transaction, a simple view",
            "events/s",
            library,
            note=f"over the first {library_events:,} events",
        ),
        Row(
            "rebuild.views",
            SECTION,
            f"every read model rebuilt from {total:,} events",
            "events/s",
            ours,
            baseline="raw scan and decode",
            baseline_figure=scan,
        ),
    ]
