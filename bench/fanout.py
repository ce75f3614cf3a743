"""Subscription fan-out: live `events` delivery to 1,000 subscribers, and their memory.

Subscribers are raw graphql-transport-ws connections (the `websockets` package, its default
permessage-deflate offer, as gql and browsers make) in this process's event loop, all with
one INTEGRATION token. Latency runs from just before a `recordCheckIn` request is sent to the
moment a subscriber has read and parsed the event: an upper bound of commit-to-delivery, as
it includes the mutation's own request and commit.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bench.run import Run
from bench.server import Server, serve
from bench.stats import Latencies, Row, median, percentile
from bench.wire import check_in, gated, last_cursor, subscribe
from okr.domain.api_token import Role
from okr.graphql.ids import global_id

SECTION = "Subscription fan-out"
SUBSCRIBERS = 1000
SPACING_SECONDS = 0.2
DELIVERY_SECONDS = 60.0
SETTLE_SECONDS = 2.0


@dataclass
class Tally:
    """How many subscribers have received each check-in so far."""

    counts: Counter[str] = field(default_factory=Counter)

    async def wait(self, check_ins: list[str], subscribers: int, timeout: float) -> None:
        """Return once every subscriber has every check-in, or after `timeout`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if all(self.counts[c] >= subscribers for c in check_ins):
                return
            await asyncio.sleep(0.01)


@dataclass
class Subscriber:
    """One connection with one `events` subscription, recording when each check-in arrives."""

    tally: Tally
    arrivals: dict[str, float] = field(default_factory=dict)
    last_cursor: str | None = None
    failure: str | None = None
    socket: ClientConnection | None = None
    reader: asyncio.Task[None] | None = None

    async def open(self, url: str, token: str, after: str) -> None:
        self.socket = await subscribe(url, token, after)
        self.reader = asyncio.create_task(self.read(self.socket))

    async def read(self, socket: ClientConnection) -> None:
        try:
            async for frame in socket:
                message = json.loads(frame)
                if message["type"] == "next" and "errors" not in message["payload"]:
                    self.receive(message["payload"]["data"]["events"], time.perf_counter())
                elif message["type"] == "ping":
                    await socket.send(json.dumps({"type": "pong"}))
                elif message["type"] != "pong":
                    self.failure = json.dumps(message)[:300]
        except ConnectionClosed as closed:
            self.failure = self.failure or f"closed by the server: {closed}"

    def receive(self, event: dict[str, Any], at: float) -> None:
        self.last_cursor = event["cursor"]
        check_in = event["payload"].get("check_in_id")
        if event["type"] == "KeyResult.CheckInRecorded" and check_in not in self.arrivals:
            self.arrivals[check_in] = at
            self.tally.counts[check_in] += 1

    async def close(self) -> None:
        if self.socket is None:
            return
        if self.reader is not None and not self.reader.done():
            await self.socket.send(json.dumps({"id": "1", "type": "complete"}))
        await self.socket.close()
        if self.reader is not None:
            await self.reader


@dataclass
class Rounds:
    """Delivery latencies of a run of spaced check-ins, by round, and what was missed."""

    subscribers: int
    by_round: list[list[float]] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    missing: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def all(self) -> Latencies:
        return Latencies([s for samples in self.by_round for s in samples])

    @property
    def figure(self) -> float:
        return median([Latencies(samples).p50_ms for samples in self.by_round])


async def measure(run: Run) -> list[Row]:
    """Delivery to 1 subscriber, then memory and delivery with 1,000."""
    per_round = 7 if run.quick else 10
    admin, subscriber_token = run.token(), run.token(Role.INTEGRATION)
    with serve(run.url, run.workdir / "fanout-server.log") as server:
        async with httpx.AsyncClient(timeout=60) as http:
            key_results = [global_id("KeyResult", raw) for raw in run.open_quarter.key_results]
            await check_in(http, server, admin, key_results[0], 0, run.open_moment)
            head = await last_cursor(http, server, admin, key_results[0])
            tally = Tally()
            alone = [Subscriber(tally)]
            await connect_all(alone, server, subscriber_token, head)
            baseline = await deliveries(run, http, server, admin, key_results, alone, per_round)
            head = alone[0].last_cursor or head
            await close_all(alone)
            await asyncio.sleep(SETTLE_SECONDS)
            before = server.rss_mib()
            crowd = [Subscriber(tally) for _ in range(SUBSCRIBERS)]
            connecting = time.perf_counter()
            await connect_all(crowd, server, subscriber_token, head)
            connected = time.perf_counter() - connecting
            after = await settled_rss(server)
            cpu = CpuClock(server.pid)
            fanned = await deliveries(run, http, server, admin, key_results, crowd, per_round)
            server_cpu, client_cpu = cpu.read()
            await close_all(crowd)
    check(baseline)
    check(fanned)
    sent = len(fanned.round_trips)
    return [
        Row(
            "fanout.delivery",
            SECTION,
            f"live event delivery, {SUBSCRIBERS:,} subscribers",
            "ms",
            fanned.figure,
            fanned.all.p50_ms,
            fanned.all.p99_ms,
            "1 subscriber",
            baseline.figure,
            note=f"{sent} check-ins every {SPACING_SECONDS * 1000:.0f} ms over {run.rounds} "
            f"rounds, {len(fanned.all.samples):,} deliveries, none missed; from just before "
            "each recordCheckIn is sent (its HTTP round trip, p50 "
            f"{percentile(fanned.round_trips, 0.5) * 1000:.0f} ms, is included) to the "
            f"subscriber's parsed frame; max {max(fanned.all.samples) * 1000:.0f} ms; "
            f"CPU during delivery: server {server_cpu:.0%}, subscribers' process "
            f"{client_cpu:.0%} of one core; 1 subscriber p99 {baseline.all.p99_ms:.0f} ms",
        ),
        Row(
            "fanout.memory",
            SECTION,
            "server memory per idle subscriber",
            "KB",
            (after - before) * 1024 / SUBSCRIBERS,
            note=f"server RSS {before:.1f} MiB before, {after:.1f} MiB with {SUBSCRIBERS:,} "
            f"idle subscribers (connected in {connected:.1f} s; the client offers "
            "permessage-deflate)",
        ),
    ]


async def connect_all(
    subscribers: list[Subscriber], server: Server, token: str, after: str
) -> None:
    """Open every subscription, a few handshakes at a time."""
    await gated(subscribers, lambda s: s.open(server.ws, token, after))


async def close_all(subscribers: list[Subscriber]) -> None:
    await gated(subscribers, Subscriber.close)


async def settled_rss(server: Server) -> float:
    """The server's RSS once it has stopped growing (the last subscriptions have started)."""
    last = server.rss_mib()
    for _ in range(30):
        await asyncio.sleep(SETTLE_SECONDS)
        now = server.rss_mib()
        if abs(now - last) < 0.25:
            return now
        last = now
    return last


async def deliveries(
    run: Run,
    http: httpx.AsyncClient,
    server: Server,
    token: str,
    key_results: list[str],
    subscribers: list[Subscriber],
    per_round: int,
) -> Rounds:
    """`run.rounds` rounds of `per_round` check-ins, spaced; each round waits for its deliveries."""
    rounds = Rounds(len(subscribers))
    tally = subscribers[0].tally
    for index in range(run.rounds):
        sent: dict[str, float] = {}
        for n in range(per_round):
            slot = time.perf_counter() + SPACING_SECONDS
            started = time.perf_counter()
            key_result = key_results[(1 + index * per_round + n) % len(key_results)]
            check_in_id = await check_in(http, server, token, key_result, n, run.open_moment)
            rounds.round_trips.append(time.perf_counter() - started)
            sent[check_in_id] = started
            await asyncio.sleep(max(0.0, slot - time.perf_counter()))
        await tally.wait(list(sent), len(subscribers), DELIVERY_SECONDS)
        samples = []
        for subscriber in subscribers:
            for check_in_id, started in sent.items():
                arrived = subscriber.arrivals.get(check_in_id)
                if arrived is None:
                    rounds.missing += 1
                else:
                    samples.append(arrived - started)
        rounds.by_round.append(samples)
    rounds.failures = [s.failure for s in subscribers if s.failure is not None]
    return rounds


def check(rounds: Rounds) -> None:
    """Every subscriber got every event, and no subscription failed."""
    if rounds.missing or rounds.failures:
        raise RuntimeError(
            f"{rounds.missing} deliveries missed by {rounds.subscribers} subscribers; "
            f"{len(rounds.failures)} subscriptions failed, e.g. {rounds.failures[:3]}"
        )


class CpuClock:
    """CPU time used by the server and by this process since it was made."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.started = time.perf_counter()
        self.server = self.server_seconds()
        self.client = time.process_time()

    def server_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, float]:
        """Shares of one core: (server, this process)."""
        wall = time.perf_counter() - self.started
        return (
            (self.server_seconds() - self.server) / wall,
            (time.process_time() - self.client) / wall,
        )
