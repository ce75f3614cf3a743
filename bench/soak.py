"""Soak and faults: N subscribers and M writers for T minutes against one `okr serve`, whose
database connections are terminated once and which is SIGKILLed and started again once.

Every subscriber must get every event once and in order, across both faults (it resumes
after the last cursor it saw); every acknowledged write must be stored, none twice, and
nothing stored that was not sent. Meanwhile the server's RSS is sampled, a normal query is
timed from another process, and the server's event-loop lag is read from its /metrics.
Each server process is one "life"; RSS growth is measured within a life, never across the
restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench import metrics
from bench.faults import terminate_connections
from bench.followers import Follower, deliveries
from bench.metrics import scrape
from bench.probe import probe_elsewhere
from bench.run import Run
from bench.server import UNTHROTTLED, Server, ServerProcess, ready
from bench.soak_findings import Faults, Life, delivery_rows, server_rows, write_rows
from bench.stats import Row
from bench.wire import HANDSHAKES, check_in, graphql, last_cursor
from bench.writers import NOTE_PREFIX, Writers, reconcile
from okr.domain.api_token import Role
from okr.graphql.event_filter import AUDIT_ONLY_PREFIXES
from okr.graphql.ids import global_id

SAMPLE_SECONDS = 5.0
PROBE_INTERVAL_SECONDS = 0.25
CATCH_UP_SECONDS = 120.0
SETTLE_SECONDS = 1.0
"""After the last event arrives: time for any event delivered twice to arrive too."""
CHECK_IN_RECORDED = "KeyResult.CheckInRecorded"
STORED = """query($after: String) { events(first: 100, after: $after) {
  nodes { position type payload } pageInfo { hasNextPage endCursor } } }"""


@dataclass(frozen=True)
class Plan:
    """How big and how long. The writers share a fixed rate, so that the subscribers get
    `writes_per_second` x `subscribers` deliveries a second whatever the server's speed."""

    subscribers: int
    writers: int
    seconds: float
    writes_per_second: float
    terminate_at: float = 0.4
    kill_at: float = 0.7
    """When the faults come, as shares of `seconds`."""


QUICK = Plan(subscribers=200, writers=16, seconds=180.0, writes_per_second=10.0)
FULL = Plan(subscribers=1000, writers=32, seconds=600.0, writes_per_second=5.0)


async def measure(run: Run) -> list[Row]:
    """The soak, with both faults; its rows. The tokens are issued before the server starts,
    so that it knows them from its first request."""
    plan = QUICK if run.quick else FULL
    tokens(run)
    environment = UNTHROTTLED | metrics.ENVIRONMENT
    process = ServerProcess(run.url, run.workdir / "soak-server.log", environment)
    server = await asyncio.to_thread(process.start)
    try:
        return await soak(run, plan, process, server)
    finally:
        process.stop()


async def soak(run: Run, plan: Plan, process: ServerProcess, server: Server) -> list[Row]:
    admin, reader, subscriber = tokens(run)
    async with httpx.AsyncClient(timeout=60) as http:
        key_results = [global_id("KeyResult", k) for k in run.open_quarter.key_results]
        await check_in(http, server, admin, key_results[0], 0, run.open_moment)
        head = await last_cursor(http, server, admin, key_results[0])
        followers = [Follower(server.ws, subscriber, head) for _ in range(plan.subscribers)]
        gate = asyncio.Semaphore(HANDSHAKES)
        running: list[asyncio.Task[Any]] = [asyncio.create_task(f.follow(gate)) for f in followers]
        try:
            await wait_for(lambda: all(f.subscriptions for f in followers), "subscribed", True)
            lives = [Life(server, time.perf_counter())]
            writers = Writers(
                server,
                admin,
                key_results[1:],
                plan.writers,
                plan.writes_per_second,
                run.open_moment,
            )
            writing = asyncio.create_task(writers.run(lives[0].began + plan.seconds))
            probing = asyncio.create_task(
                probe_elsewhere(server.graphql, reader, plan.seconds, PROBE_INTERVAL_SECONDS)
            )
            running += [writing, probing, asyncio.create_task(sample_rss(lives))]
            faults = await inject_faults(run, plan, process, lives, http)
            await writing
            probe = await probing
            last = lives[-1]
            last.metrics = await scrape(http, last.server)
            last.ended = time.perf_counter()
            await wait_for(lambda: ready(last.server.base), "caught up", True, blocking=True)
            stored = await stored_events(http, last.server, admin, head)
            expected = array("q", [e["position"] for e in stored if visible(e)])
            final = expected[-1] if expected else 0
            await wait_for(lambda: all(f.last_position >= final for f in followers), "delivered")
            await asyncio.sleep(SETTLE_SECONDS)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
    notes = Counter(
        e["payload"]["note"]
        for e in stored
        if e["type"] == CHECK_IN_RECORDED and e["payload"]["note"].startswith(NOTE_PREFIX)
    )
    return [
        *delivery_rows(followers, deliveries(followers, expected)),
        *write_rows(writers, reconcile(writers.writes, notes), faults),
        *server_rows(lives, probe, faults, PROBE_INTERVAL_SECONDS),
    ]


def tokens(run: Run) -> tuple[str, str, str]:
    """The writers', the normal query's and the subscribers' tokens."""
    return run.token(), run.token(holder="soak reader"), run.token(Role.INTEGRATION)


async def wait_for(
    done: Callable[[], bool], what: str, required: bool = False, *, blocking: bool = False
) -> None:
    """Return once `done()`, or after CATCH_UP_SECONDS (raising if `required`). A blocking
    `done` runs in a thread."""
    deadline = time.perf_counter() + CATCH_UP_SECONDS
    while not (await asyncio.to_thread(done) if blocking else done()):
        if time.perf_counter() > deadline:
            if required:
                raise RuntimeError(f"soak: not {what} after {CATCH_UP_SECONDS:.0f} s")
            print(f"  soak: not {what} after {CATCH_UP_SECONDS:.0f} s; counting what arrived")
            return
        await asyncio.sleep(0.2)


async def sample_rss(lives: list[Life]) -> None:
    """Every SAMPLE_SECONDS, the RSS of the server process alive now."""
    while True:
        life = lives[-1]
        with contextlib.suppress(OSError, RuntimeError):
            life.rss.append((time.perf_counter(), life.server.rss_mib()))
        await asyncio.sleep(SAMPLE_SECONDS)


async def inject_faults(
    run: Run, plan: Plan, process: ServerProcess, lives: list[Life], http: httpx.AsyncClient
) -> Faults:
    """Terminate the server's database connections, later SIGKILL it and start it again."""
    faults = Faults()
    began = lives[0].began
    await asyncio.sleep(began + plan.terminate_at * plan.seconds - time.perf_counter())
    faults.terminated_at = time.perf_counter()
    faults.terminated = await asyncio.to_thread(terminate_connections, run.url, lives[0].server.pid)
    await asyncio.sleep(began + plan.kill_at * plan.seconds - time.perf_counter())
    dying = lives[-1]
    dying.metrics = await scrape(http, dying.server)
    faults.killed_at = dying.ended = time.perf_counter()
    process.kill()
    server = await asyncio.to_thread(process.start)
    faults.ready_at = time.perf_counter()
    lives.append(Life(server, faults.ready_at))
    return faults


async def stored_events(
    http: httpx.AsyncClient, server: Server, token: str, after: str
) -> list[dict[str, Any]]:
    """Every event stored after the cursor `after`, in order."""
    found: list[dict[str, Any]] = []
    cursor: str | None = after
    while True:
        page = (await graphql(http, server, token, STORED, {"after": cursor}))["events"]
        found += page["nodes"]
        cursor = page["pageInfo"]["endCursor"] or cursor
        if not page["pageInfo"]["hasNextPage"]:
            return found


def visible(event: dict[str, Any]) -> bool:
    """Whether an integration token's subscription shows this event."""
    return not str(event["type"]).startswith(AUDIT_ONLY_PREFIXES)
