"""The embedded default: rebuild and check-ins on SQLite, beside SQLite's own limits.

One generated quarter on a SQLite file; the check-in subjects and baselines are those of the
PostgreSQL sections, with Python's sqlite3 module standing in for asyncpg.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from bench import databases
from bench.checkins import (
    LEVELS,
    each_level,
    load_row,
    recorder_loads,
    round_seconds,
    service_loads,
    template_event,
)
from bench.drive import Load, in_threads
from bench.generator import Size, generate
from bench.rebuild import views_rate
from bench.run import Run
from bench.stats import Row, median
from okr.bootstrap import open_application

SECTION = "SQLite (the embedded default)"
SCAN_BATCH = 500


def scan_rate(run: Run) -> float:
    """Read the events table in batches through sqlite3 and decode every event."""
    mapper = run.app.mapper
    db = sqlite3.connect(run.url.sqlite_path)
    try:
        started = time.perf_counter()
        after, count = 0, 0
        while rows := db.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, SCAN_BATCH),
        ).fetchall():
            for _, originator_id, version, topic, state in rows:
                mapper.to_domain_event(StoredEvent(originator_id, version, topic, state))
            after, count = rows[-1][0], count + len(rows)
        return count / (time.perf_counter() - started)
    finally:
        db.close()


def insert_loads(run: Run) -> dict[int, list[Load]]:
    """Equivalent rows into a plain table with an integer key, one transaction each."""
    template = template_event(run)
    path = databases.WORKDIR / "bench_raw.sqlite"
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE raw_events (id INTEGER PRIMARY KEY AUTOINCREMENT, originator_id TEXT, "
            "originator_version INTEGER, topic TEXT, state BLOB)"
        )
    local = threading.local()

    def call(client: int, n: int) -> None:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        local.db.execute(
            "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
            "VALUES (?, 1, ?, ?)",
            (uuid4().hex, template.topic, template.state),
        )

    try:
        return each_level(run, lambda clients: in_threads(clients, round_seconds(run), call))
    finally:
        path.unlink(missing_ok=True)


async def measure(run: Run) -> list[Row]:
    """Generate one quarter on SQLite, then rebuild and check in as on PostgreSQL."""
    url = databases.sqlite_url("okr_bench")
    databases.recreate(url)
    app = open_application(url)
    try:
        dataset = await asyncio.to_thread(generate, app, Size())
        local = Run(url, app, dataset, run.quick, run.workdir)
        scan = median([scan_rate(local) for _ in range(run.rounds)])
        views = median([await views_rate(local) for _ in range(run.rounds)])
        recorder = await asyncio.to_thread(
            recorder_loads, local, databases.sqlite_url("bench_recorder")
        )
        raw = await asyncio.to_thread(insert_loads, local)
        service = await asyncio.to_thread(service_loads, local, url)
    finally:
        app.close()
        databases.drop(url)
        databases.drop(databases.sqlite_url("bench_recorder"))
    rows = [
        Row("sqlite.rebuild.scan", SECTION, "raw sqlite3 scan and decode", "events/s", scan),
        Row(
            "sqlite.rebuild.views",
            SECTION,
            f"every read model rebuilt from {dataset.events:,} events",
            "events/s",
            views,
            baseline="raw scan and decode",
            baseline_figure=scan,
        ),
    ]
    for clients in LEVELS:
        rows += [
            load_row(
                f"sqlite.checkins.recorder.{clients}",
                f"bare recorder, {clients} clients",
                recorder[clients],
                section=SECTION,
            ),
            load_row(
                f"sqlite.checkins.insert.{clients}",
                f"raw sqlite3 INSERT, {clients} clients",
                raw[clients],
                section=SECTION,
            ),
            load_row(
                f"sqlite.checkins.service.{clients}",
                f"application service, {clients} clients",
                service[clients],
                "bare recorder",
                recorder[clients],
                SECTION,
            ),
        ]
    return rows
