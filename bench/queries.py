"""Query latency of five read queries, three ways each, and the server's memory.

Each query is timed over HTTP against a real `okr serve`, executed in-process through the
same schema and context the server builds, and as raw SQL: the exact statements (with their
parameters) that one in-process execution issued, run again back to back on one asyncpg
connection. Rounds interleave the queries and the three ways, so background load on the
machine falls on all of them alike.
"""

from __future__ import annotations

import asyncio
import math
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import asyncpg
import httpx
from eventsourcing.postgres import PostgresApplicationRecorder

from bench.run import Run
from bench.server import serve
from bench.statements import (
    InProcess,
    RecordingBackend,
    Statement,
    Vars,
    record_event_reads,
)
from bench.stats import Latencies, Row, median
from okr.bootstrap import Runtime, open_application, open_runtime
from okr.graphql.audit_types import event_cursor
from okr.graphql.ids import global_id
from okr.infra.postgres_read_store import PostgresReadStore

SECTION = "Query latency"
BASELINE = "raw SQL (asyncpg)"
REQUESTS = {True: 200, False: 1000}
WAYS = ("http", "server", "raw")
WARM_UP = 20
INPUTS = 50
PAGE = 50

HISTORY = """
query History($id: ID!, $from: Date!, $to: Date!) {
  keyResult(id: $id) {
    id title
    history(from: $from, to: $to, interval: WEEK) {
      on value confidence target progress expectedProgress status
    }
  }
}"""

TEAM_OBJECTIVES = """
query TeamObjectives($team: ID!, $period: ID!) {
  objectives(filter: {teamId: $team, periodId: $period}, first: 50) {
    nodes {
      id title status progress
      lead { id name }
      keyResults { id title currentValue confidence target progress status }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""

ALIGNMENT_TREE = """
query AlignmentTree($id: ID!) {
  objective(id: $id) {
    id title progress
    children {
      id title status progress
      lead { id name }
      children { id title progress }
    }
  }
}"""

AUDIT_PAGE = """
query AuditPage($after: String) {
  events(first: 50, after: $after) {
    edges { cursor node { position type aggregateId actor occurredAt payload } }
    pageInfo { hasNextPage endCursor }
  }
}"""

OBJECTIVE_AS_OF = """
query ObjectiveAsOf($id: ID!, $at: DateTime!) {
  objective(id: $id, asOf: $at) {
    id title status version asOf
    lead { id name }
    keyResults { id title currentValue confidence progress status }
  }
}"""


@dataclass(frozen=True)
class Query:
    """One GraphQL document, the variables it is asked with, and where its answer must be
    non-empty."""

    name: str
    what: str
    document: str
    inputs: list[Vars]
    expect: tuple[str, ...]


@dataclass
class Samples:
    """Latencies of one query one way, per round."""

    rounds: list[list[float]] = field(default_factory=list)

    @property
    def figure(self) -> float:
        """The median of the rounds' p50s, in ms."""
        return median([Latencies(r).p50_ms for r in self.rounds])

    def row(self, key: str, what: str, baseline: float, note: str) -> Row:
        """The report row: the figure, p50/p99 over every sample, and the raw SQL beside it."""
        every = Latencies([s for r in self.rounds for s in r])
        return Row(
            key=key,
            section=SECTION,
            what=what,
            unit="ms",
            figure=self.figure,
            p50_ms=every.p50_ms,
            p99_ms=every.p99_ms,
            baseline=BASELINE,
            baseline_figure=baseline,
            note=note,
        )


def queries(run: Run) -> list[Query]:
    """The five queries, each with `INPUTS` variations picked from the last quarter."""
    quarter = run.dataset.last
    starts = date.fromisoformat(quarter.starts_on)
    ends = _next_quarter(starts) - timedelta(days=1)
    middle = datetime.combine(starts + (ends - starts) // 2, datetime.min.time(), UTC)
    picker = random.Random(7)

    def pick(items: list[str]) -> list[str]:
        return picker.sample(items, min(INPUTS, len(items)))

    period = global_id("Period", quarter.period_id)
    last_page = max(0, run.dataset.events - PAGE)
    return [
        Query(
            "key_result_history",
            "key result history, week by week",
            HISTORY,
            [
                {"id": global_id("KeyResult", k), "from": str(starts), "to": str(ends)}
                for k in pick(quarter.key_results)
            ],
            ("keyResult", "history"),
        ),
        Query(
            "team_objectives",
            "a team's objectives with key results",
            TEAM_OBJECTIVES,
            [{"team": global_id("Team", t), "period": period} for t in pick(run.dataset.teams)],
            ("objectives", "nodes"),
        ),
        Query(
            "alignment_tree",
            "alignment tree under a directional objective",
            ALIGNMENT_TREE,
            [{"id": global_id("Objective", o)} for o in pick(quarter.directional)],
            ("objective", "children"),
        ),
        Query(
            "audit_page",
            "a page of the audit log",
            AUDIT_PAGE,
            [{"after": event_cursor(picker.randrange(last_page))} for _ in range(INPUTS)],
            ("events", "edges"),
        ),
        Query(
            "objective_as_of",
            "an objective as of mid-quarter",
            OBJECTIVE_AS_OF,
            [
                {"id": global_id("Objective", o), "at": middle.isoformat()}
                for o in pick(quarter.objectives)
            ],
            ("objective", "keyResults"),
        ),
    ]


def _next_quarter(starts: date) -> date:
    month = starts.month + 3
    return date(starts.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def check(query: Query, answer: Any) -> None:
    """Fail unless the answer has no errors and data down to a non-empty `expect`."""
    assert isinstance(answer, dict), answer
    assert not answer.get("errors"), (query.name, answer.get("errors"))
    found: Any = answer.get("data")
    for name in query.expect:
        assert isinstance(found, dict), (query.name, answer)
        assert found.get(name), (query.name, answer)
        found = found[name]


async def statements(
    run: Run, base: Runtime, work: list[Query]
) -> dict[str, list[list[Statement]]]:
    """Per query and input, the SQL one in-process execution runs, read store and event
    store alike."""
    store = await PostgresReadStore.open(run.url.postgres_dsn, run.url.schema)
    app = await asyncio.to_thread(open_application, run.url)
    recorder = cast(PostgresApplicationRecorder, app.recorder)
    log: list[Statement] = []
    record_event_reads(
        app,
        log,
        f'SELECT * FROM "{recorder.datastore.schema}"."{recorder.events_table_name}" '
        "WHERE originator_id = $1 ORDER BY originator_version ASC",
    )
    backend = RecordingBackend(Runtime(run.url, app, store, base.runner), log)
    execute = InProcess(backend, run.token())
    found: dict[str, list[list[Statement]]] = {}
    try:
        for query in work:
            found[query.name] = []
            for variables in query.inputs:
                log.clear()
                check(query, await execute(query.document, variables))
                found[query.name].append(list(log))
    finally:
        await store.close()
        await asyncio.to_thread(app.close)
    return found


async def run_statements(conn: asyncpg.Connection, sequence: list[Statement]) -> None:
    """Run `sequence` in order, fetching every row."""
    for method, sql, params in sequence:
        if method == "fetchrow":
            await conn.fetchrow(sql, *params)
        elif method == "fetch":
            await conn.fetch(sql, *params)
        else:
            await conn.execute(sql, *params)


@dataclass(frozen=True)
class Way:
    """One way of running a query: call it with an input's index, then check its answer."""

    call: Callable[[int], Awaitable[Any]]
    check: Callable[[Any], None]
    inputs: int


def ways(
    query: Query,
    client: httpx.Client,
    url: str,
    in_process: InProcess,
    conn: asyncpg.Connection,
    recorded: list[list[Statement]],
) -> dict[str, Way]:
    """The query over HTTP, in-process and as its recorded SQL."""

    async def http(index: int) -> httpx.Response:
        body = {"query": query.document, "variables": query.inputs[index]}
        return client.post(url, json=body)

    def answered(response: httpx.Response) -> None:
        response.raise_for_status()
        check(query, response.json())

    async def server(index: int) -> dict[str, Any]:
        return await in_process(query.document, query.inputs[index])

    async def raw(index: int) -> None:
        await run_statements(conn, recorded[index])

    return {
        "http": Way(http, answered, len(query.inputs)),
        "server": Way(server, lambda answer: check(query, answer), len(query.inputs)),
        "raw": Way(raw, lambda _: None, len(query.inputs)),
    }


async def sample(way: Way, count: int, start: int) -> list[float]:
    """`count` timed calls, cycling through the inputs from `start`; each answer is checked
    outside the timing."""
    taken = []
    for n in range(start, start + count):
        began = time.perf_counter()
        answer = await way.call(n % way.inputs)
        taken.append(time.perf_counter() - began)
        way.check(answer)
    return taken


async def measure(run: Run) -> list[Row]:
    """p50/p99 of each query over HTTP, in-process and as raw SQL; server RSS idle and after."""
    work = queries(run)
    token = run.token()
    per_round = math.ceil(REQUESTS[run.quick] / run.rounds)
    samples = {(q.name, way): Samples() for q in work for way in WAYS}
    with serve(run.url, run.workdir / "queries-server.log") as server:
        idle = server.rss_mib()
        ledger = await open_runtime(run.url)
        settings = {"search_path": run.url.schema} if run.url.schema else {}
        conn = await asyncpg.connect(run.url.postgres_dsn, server_settings=settings)
        try:
            recorded = await statements(run, ledger, work)
            in_process = InProcess(ledger, token)
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(headers=headers, timeout=60) as client:
                by_query = {
                    q.name: ways(q, client, server.graphql, in_process, conn, recorded[q.name])
                    for q in work
                }
                for query in work:
                    for way in WAYS:
                        chosen = by_query[query.name][way]
                        await sample(chosen, chosen.inputs + WARM_UP, 0)
                for number in range(run.rounds):
                    for query in work:
                        for way in WAYS:
                            chosen = by_query[query.name][way]
                            taken = await sample(chosen, per_round, number * per_round)
                            samples[query.name, way].rounds.append(taken)
            after = server.rss_mib()
        finally:
            await conn.close()
            await ledger.close()
    rows = []
    for query in work:
        raw = samples[query.name, "raw"].figure
        count = statistics.mean(len(s) for s in recorded[query.name])
        rows += [
            samples[query.name, "http"].row(
                f"queries.{query.name}.http",
                f"{query.what} (HTTP)",
                raw,
                f"{per_round * run.rounds} requests on one keep-alive connection",
            ),
            samples[query.name, "server"].row(
                f"queries.{query.name}.server",
                f"{query.what} (server-side)",
                raw,
                f"{count:.1f} SQL statements per operation",
            ),
        ]
    return [
        *rows,
        Row("memory.idle", "Memory", "server RSS, idle after start", "MiB", idle),
        Row("memory.after_queries", "Memory", "server RSS after the query mix", "MiB", after),
    ]
