"""Attack: hostile requests against one `okr serve` with its default limits, all at once,
while a normal query is timed against its quiet baseline.

The normal query runs with an ADMIN token from a process of its own (`bench.probe`), 40 a
second, under the default 50 requests a second a token may send. Each attack has a token
of its own and is sent at a fixed rate whatever the answers: the costly query (refused
before it runs) and JSON nested 3,000 deep at 100 a second; bodies of ~250 KB at 20 a
second, a document in turn with the normal query carrying ~250 KB of variables; alignment
trees at 200 a second, at most 100 unanswered. Tree queries and the large variables are
within every limit and may also be answered. Besides, 1,000 WebSockets open and never send
connection_init.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

from bench import hostile, metrics
from bench.hostile import Tally
from bench.probe import NORMAL_QUERY, Probe, probe_elsewhere
from bench.run import Run
from bench.server import Server, serve
from bench.stats import Latencies, Row, listed
from bench.wire import bearer
from okr.graphql.ids import global_id

SECTION = "Attack"
PROBE_INTERVAL_SECONDS = 0.025
QUIET_SECONDS = 5.0
WARM_UP = 10
"""Normal queries before the quiet ones that count (none before those during the attacks,
which would only delay them)."""
ATTACK_SECONDS = {True: 15.0, False: 60.0}
SOCKETS = 1000
SOCKET_SECONDS = 75.0
"""How long an idle socket waits to be closed: past strawberry's default connection_init
wait (60 s), in case the server keeps it."""
KINDS = {
    "expensive": "the costly nested query",
    "nested": f"JSON nested {hostile.NESTING:,} deep",
    "large": "bodies of ~250 KB",
    "trees": "alignment trees, 100 at once",
    "sockets": f"{SOCKETS:,} idle WebSockets",
}
TIMEOUT_SECONDS = 15.0
"""Past the server's default operation time limit (10 s)."""


@dataclass(frozen=True)
class Attack:
    """Requests sent `per_second` whatever their answers, at most `at_once` unanswered."""

    key: str
    bodies: list[bytes]
    """Sent in turn."""
    per_second: float
    at_once: int
    may_answer: bool = False


def attacks(run: Run) -> list[Attack]:
    directional = [global_id("Objective", o) for o in run.dataset.last.directional]
    return [
        Attack("expensive", hostile.expensive(), 100, 50),
        Attack("nested", hostile.nested(), 100, 50),
        Attack("large", hostile.large(), 20, 20, may_answer=True),
        Attack("trees", hostile.trees(directional), 200, 100, may_answer=True),
    ]


async def measure(run: Run) -> list[Row]:
    """The normal query quiet, then during every attack at once."""
    normal = run.token()
    planned = attacks(run)
    tokens = {a.key: run.token(holder=f"attack {a.key}") for a in planned}
    seconds = ATTACK_SECONDS[run.quick]
    log = run.workdir / "attack-server.log"
    with serve(run.url, log, metrics.ENVIRONMENT) as server:
        quiet = await probe_elsewhere(
            server.graphql, normal, QUIET_SECONDS, PROBE_INTERVAL_SECONDS, WARM_UP
        )
        tallies = {a.key: Tally() for a in planned}
        idle = Tally()
        stopping = asyncio.Event()
        sockets = [
            asyncio.create_task(hostile.idle_socket(server.ws, idle, SOCKET_SECONDS))
            for _ in range(SOCKETS)
        ]
        flooding = [
            asyncio.create_task(flood(a, server, tokens[a.key], tallies[a.key], stopping))
            for a in planned
        ]
        try:
            loaded = await probe_elsewhere(server.graphql, normal, seconds, PROBE_INTERVAL_SECONDS)
        finally:
            stopping.set()
        await asyncio.gather(*flooding, *sockets)
        async with httpx.AsyncClient() as http:
            found = await metrics.scrape(http, server)
    lag = None if found is None else found.loop_lag_max_seconds
    return [
        *probe_rows(quiet, loaded, lag),
        *[attack_row(a, tallies[a.key]) for a in planned],
        sockets_row(idle),
    ]


async def flood(
    attack: Attack, server: Server, token: str, tally: Tally, stopping: asyncio.Event
) -> None:
    """Send `attack`'s requests at its rate until `stopping`, then wait for their answers."""
    limits = httpx.Limits(max_connections=attack.at_once)
    gate = asyncio.Semaphore(attack.at_once)
    sending: set[asyncio.Task[None]] = set()
    async with httpx.AsyncClient(
        headers=bearer(token), timeout=TIMEOUT_SECONDS, limits=limits
    ) as http:

        async def one(n: int) -> None:
            try:
                body = attack.bodies[n % len(attack.bodies)]
                await hostile.send(http, server.graphql, body, tally, attack.may_answer)
            finally:
                gate.release()

        n, slot = 0, time.perf_counter()
        while not stopping.is_set():
            await gate.acquire()
            task = asyncio.create_task(one(n))
            sending.add(task)
            task.add_done_callback(sending.discard)
            n, slot = n + 1, max(slot + 1 / attack.per_second, time.perf_counter())
            await asyncio.sleep(slot - time.perf_counter())
        await asyncio.gather(*sending)


def probe_rows(quiet: Probe, loaded: Probe, lag: float | None) -> list[Row]:
    """Latencies count the queries not answered too, at the time they failed."""
    before = Latencies(quiet.latencies + quiet.failed_after)
    during = Latencies(loaded.latencies + loaded.failed_after)
    pause = "unpublished" if lag is None else f"{lag * 1000:.0f} ms"
    return [
        Row(
            "attack.quiet",
            SECTION,
            "a normal query, quiet",
            "ms",
            before.p50_ms,
            before.p50_ms,
            before.p99_ms,
            note=f"{len(before.samples)} queries, {1 / PROBE_INTERVAL_SECONDS:.0f} a second, "
            f"from a process of their own, not answered: {listed(quiet.failures)}; "
            f"{NORMAL_QUERY}",
        ),
        Row(
            "attack.loaded",
            SECTION,
            "a normal query during the attacks",
            "ms",
            during.p50_ms,
            during.p50_ms,
            during.p99_ms,
            "quiet",
            before.p50_ms,
            note=f"{len(during.samples)} queries, max {max(during.samples) * 1000:.0f} ms; not "
            f"answered: {listed(loaded.failures)}; the server's longest event-loop pause: {pause}",
        ),
        Row(
            "attack.p99_ratio",
            SECTION,
            "the normal query's p99 during the attacks, times quiet",
            "x",
            during.p99_ms / before.p99_ms,
        ),
    ]


def attack_row(attack: Attack, tally: Tally) -> Row:
    latencies = Latencies(tally.latencies)
    return Row(
        f"attack.{attack.key}",
        SECTION,
        f"{KINDS[attack.key]}: requests without a coded refusal",
        "requests",
        tally.failures,
        latencies.p50_ms,
        latencies.p99_ms,
        note=f"{tally.sent:,} sent, {attack.per_second:g} a second, at most {attack.at_once} "
        f"unanswered, with a token of their own: {listed(tally.outcomes)}",
    )


def sockets_row(tally: Tally) -> Row:
    latencies = Latencies(tally.latencies)
    return Row(
        "attack.sockets",
        SECTION,
        f"{KINDS['sockets']}: sockets without a coded refusal",
        "sockets",
        tally.failures,
        latencies.p50_ms,
        latencies.p99_ms,
        note=f"opened at once, none sends connection_init: {listed(tally.outcomes)}",
    )
