"""Check-in throughput and latency at 1, 8 and 32 clients, beside the database's own limits.

Subjects: the application service (in-process, as the server calls it) and GraphQL over
HTTP against `okr serve`. Baselines: the library's bare recorder saving one event per
transaction, and a raw asyncpg INSERT into a plain table with a bigserial key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from uuid import UUID, uuid4

import asyncpg
import httpx
from eventsourcing.persistence import StoredEvent

from bench.drive import Load, in_tasks, in_threads
from bench.run import Run
from bench.server import serve
from bench.stats import Latencies, Row, median
from okr.bootstrap import open_application
from okr.domain.commands import RecordCheckIn
from okr.graphql.ids import global_id
from okr.infra.event_store import DatabaseUrl
from okr.services.application import OkrApplication

SECTION = "Check-ins"
LEVELS = (1, 8, 32)
RECORD = """mutation ($input: RecordCheckInInput!) {
  recordCheckIn(input: $input) { checkIn { id } userErrors { code message } }
}"""
RAW_TABLE = "bench_raw_events"


def each_level(run: Run, measure: Callable[[int], Load]) -> dict[int, list[Load]]:
    return {clients: [measure(clients) for _ in range(run.rounds)] for clients in LEVELS}


async def each_level_async(
    run: Run, measure: Callable[[int], Awaitable[Load]]
) -> dict[int, list[Load]]:
    return {clients: [await measure(clients) for _ in range(run.rounds)] for clients in LEVELS}


def round_seconds(run: Run) -> float:
    return 2.0 if run.quick else 6.0


def service_loads(run: Run, url: DatabaseUrl) -> dict[int, list[Load]]:
    """The check-in command, called from one thread per client on one application."""
    app = open_application(url)
    key_results = [UUID(k) for k in run.open_quarter.key_results]
    moment = run.open_moment

    def measure(clients: int) -> Load:
        def call(client: int, n: int) -> None:
            key_result = key_results[(client + n * clients) % len(key_results)]
            app.handle(
                run.context,
                RecordCheckIn(key_result, value=float(n % 90), confidence=7, effective_at=moment),
            )

        return in_threads(clients, round_seconds(run), call)

    try:
        return each_level(run, measure)
    finally:
        app.close()


def template_event(run: Run) -> StoredEvent:
    """A stored check-in from the generated log, to insert copies of."""
    for notification in run.app.recorder.select_notifications(start=run.dataset.events, limit=1):
        return StoredEvent(uuid4(), 1, notification.topic, notification.state)
    raise RuntimeError("the generated log is empty")


def recorder_loads(run: Run, url: DatabaseUrl) -> dict[int, list[Load]]:
    """The library's recorder on a store of its own: one event per insert_events call."""
    app: OkrApplication = open_application(url)
    template = template_event(run)

    def measure(clients: int) -> Load:
        def call(client: int, n: int) -> None:
            app.recorder.insert_events([StoredEvent(uuid4(), 1, template.topic, template.state)])

        return in_threads(clients, round_seconds(run), call)

    try:
        return each_level(run, measure)
    finally:
        app.close()


async def insert_loads(run: Run) -> dict[int, list[Load]]:
    """Equivalent rows into a plain table with a bigserial key, one transaction each."""
    template = template_event(run)
    setup = await asyncpg.connect(run.url.postgres_dsn)
    await setup.execute(
        f"DROP TABLE IF EXISTS {RAW_TABLE}; CREATE TABLE {RAW_TABLE} (id bigserial PRIMARY KEY, "
        "originator_id uuid NOT NULL, originator_version int NOT NULL, topic text NOT NULL, "
        "state bytea NOT NULL)"
    )
    connections = [await asyncpg.connect(run.url.postgres_dsn) for _ in range(max(LEVELS))]
    insert = (
        f"INSERT INTO {RAW_TABLE} (originator_id, originator_version, topic, state) "
        "VALUES ($1, $2, $3, $4)"
    )

    async def measure(clients: int) -> Load:
        async def call(client: int, n: int) -> None:
            await connections[client].execute(insert, uuid4(), 1, template.topic, template.state)

        return await in_tasks(clients, round_seconds(run), call)

    try:
        return await each_level_async(run, measure)
    finally:
        for conn in connections:
            await conn.close()
        await setup.execute(f"DROP TABLE {RAW_TABLE}")
        await setup.close()


async def http_loads(run: Run) -> dict[int, list[Load]]:
    """`recordCheckIn` over HTTP, one keep-alive client per simulated user."""
    key_results = run.open_quarter.key_results
    moment = run.open_moment.isoformat()
    headers = {"Authorization": f"Bearer {run.token()}"}
    with serve(run.url, run.workdir / "checkins-server.log") as server:
        clients_ = [
            httpx.AsyncClient(base_url=server.base, headers=headers, timeout=30)
            for _ in range(max(LEVELS))
        ]

        async def measure(clients: int) -> Load:
            async def call(client: int, n: int) -> None:
                key_result = key_results[(client + n * clients) % len(key_results)]
                response = await clients_[client].post(
                    "/graphql",
                    json={
                        "query": RECORD,
                        "variables": {
                            "input": {
                                "keyResultId": global_id("KeyResult", key_result),
                                "value": float(n % 90),
                                "confidence": 7,
                                "effectiveAt": moment,
                            }
                        },
                    },
                )
                body = response.json()
                payload = (
                    body.get("data", {}).get("recordCheckIn") if "errors" not in body else None
                )
                if payload is None or payload["userErrors"]:
                    raise RuntimeError(f"check-in refused: {body}")

            return await in_tasks(clients, round_seconds(run), call)

        try:
            return await each_level_async(run, measure)
        finally:
            for client in clients_:
                await client.aclose()


def load_row(
    key: str,
    what: str,
    loads: list[Load],
    base: str | None = None,
    base_loads: list[Load] | None = None,
    section: str = SECTION,
) -> Row:
    """The median rate over rounds, with latency percentiles over every request."""
    samples = Latencies([s for load in loads for s in load.latencies.samples])
    return Row(
        key,
        section,
        what,
        "check-ins/s",
        median([load.rate for load in loads]),
        samples.p50_ms,
        samples.p99_ms,
        base,
        None if base_loads is None else median([load.rate for load in base_loads]),
    )


async def measure(run: Run) -> list[Row]:
    """Every subject and baseline at each concurrency, each round in turn."""
    recorder = await asyncio.to_thread(
        recorder_loads, run, DatabaseUrl(f"{run.url.url}?schema=bench_recorder")
    )
    raw = await insert_loads(run)
    service = await asyncio.to_thread(service_loads, run, run.url)
    http = await http_loads(run)
    rows: list[Row] = []
    for clients in LEVELS:
        rows += [
            load_row(
                f"checkins.recorder.{clients}",
                f"bare recorder, {clients} clients",
                recorder[clients],
            ),
            load_row(
                f"checkins.insert.{clients}", f"raw asyncpg INSERT, {clients} clients", raw[clients]
            ),
            load_row(
                f"checkins.service.{clients}",
                f"application service, {clients} clients",
                service[clients],
                "bare recorder",
                recorder[clients],
            ),
            load_row(
                f"checkins.http.{clients}",
                f"GraphQL over HTTP, {clients} clients",
                http[clients],
                "bare recorder",
                recorder[clients],
            ),
        ]
    return rows
