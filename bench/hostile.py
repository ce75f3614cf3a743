"""Hostile requests, and how their answers are judged: each must get a coded refusal (an
HTTP 4xx, or a GraphQL error, whose errors all carry a code; or a WebSocket closed with a
refusal's close code), never a 5xx, a timeout, a dropped connection or an answer without a
code. Tree queries, and the normal query with large variables, are within every limit and
may also be answered."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, InvalidStatus

from bench.probe import NORMAL_QUERY
from bench.queries import ALIGNMENT_TREE
from bench.wire import PROTOCOL

EXPENSIVE = (
    "{ objectives(first:100){ nodes { keyResults { objective { keyResults { objective { "
    "keyResults { objective { keyResults { objective { id }}}}}}}}}}}"
)
NESTING = 3000
LARGE_BYTES = 250_000
ALIAS = "a{n}: objectives(first: 100) {{ nodes {{ id }} }} "
REFUSAL_CLOSE_CODES = (1008, 1013)
"""Besides 4000-4999 (graphql-transport-ws's own, such as 4408 for no connection_init)."""
ANSWERED = "answered"


def expensive() -> list[bytes]:
    return [json.dumps({"query": EXPENSIVE}).encode()]


def nested() -> list[bytes]:
    deep = "[" * NESTING + "]" * NESTING
    return [f'{{"query": {json.dumps(NORMAL_QUERY)}, "variables": {{"deep": {deep}}}}}'.encode()]


def large() -> list[bytes]:
    """A document of ~LARGE_BYTES (aliased costly fields), and the normal query with
    ~LARGE_BYTES of variables (an array of numbers)."""
    count = (LARGE_BYTES - 20) // len(ALIAS.format(n=99999))
    document = "{ " + "".join(ALIAS.format(n=i) for i in range(count)) + "}"
    numbers = ",".join(["1"] * ((LARGE_BYTES - 100) // 2))
    return [
        json.dumps({"query": document}).encode(),
        f'{{"query": {json.dumps(NORMAL_QUERY)}, "variables": {{"n": [{numbers}]}}}}'.encode(),
    ]


def trees(directional: list[str]) -> list[bytes]:
    return [
        json.dumps({"query": ALIGNMENT_TREE, "variables": {"id": objective}}).encode()
        for objective in directional
    ]


@dataclass
class Tally:
    """What the requests of one attack got, and how long each took to get it."""

    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    @property
    def sent(self) -> int:
        return self.outcomes.total()

    def add(self, outcome: str, seconds: float, refused: bool) -> None:
        self.outcomes[outcome] += 1
        self.latencies.append(seconds)
        self.failures += not refused


def verdict(response: httpx.Response) -> tuple[str, bool]:
    """What an HTTP answer says ("answered", or its status and codes), and whether it is a
    coded refusal."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {status}, not JSON", False
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        return (ANSWERED, False) if status == 200 else (f"HTTP {status} without errors", False)
    codes = sorted({str(e.get("extensions", {}).get("code")) for e in errors})
    coded = status < 500 and "None" not in codes
    retry = " (no Retry-After)" if status == 429 and "retry-after" not in response.headers else ""
    return f"HTTP {status} {'/'.join(codes)}{retry}", coded


async def send(
    http: httpx.AsyncClient, url: str, body: bytes, tally: Tally, may_answer: bool
) -> None:
    """POST `body` and record what it got."""
    started = time.perf_counter()
    try:
        response = await http.post(url, content=body, headers={"content-type": "application/json"})
    except httpx.TimeoutException:
        outcome, refused = "timeout", False
    except httpx.TransportError as error:
        outcome, refused = type(error).__name__, False
    else:
        outcome, refused = verdict(response)
        refused = refused or (may_answer and outcome == ANSWERED)
    tally.add(outcome, time.perf_counter() - started, refused)


async def idle_socket(url: str, tally: Tally, seconds: float) -> None:
    """Open a graphql-transport-ws socket, never send connection_init, and wait up to
    `seconds` for the server to close it."""
    started = time.perf_counter()
    try:
        socket = await connect(url, subprotocols=[PROTOCOL], ping_interval=None)
    except InvalidStatus as refusal:
        status = refusal.response.status_code
        tally.add(f"handshake HTTP {status}", time.perf_counter() - started, status < 500)
        return
    except (OSError, InvalidHandshake, TimeoutError) as error:
        tally.add(type(error).__name__, time.perf_counter() - started, False)
        return
    try:
        await asyncio.wait_for(socket.wait_closed(), seconds)
    except TimeoutError:
        outcome, refused = f"still open after {seconds:.0f} s", False
    else:
        code, reason = socket.close_code or 1006, socket.close_reason or ""
        outcome = f"closed {code} {reason.partition(':')[0][:40]}".strip()
        refused = code in REFUSAL_CLOSE_CODES or 4000 <= code < 5000
    finally:
        await socket.close()
    tally.add(outcome, time.perf_counter() - started, refused)
