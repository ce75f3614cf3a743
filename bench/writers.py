"""Writers that check in at a steady pace through faults. Each write has a unique note and
is sent with that note as its idempotency key, so that a write whose answer was lost (the
connection cut, the server killed), or that was answered with an error or a userError that
asks to try again, is safe to send again: the server stores it at most once. A write counts
as acknowledged only when an answer came back with no errors and no userErrors."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from bench.server import Server
from bench.wire import CHECK_IN, bearer, check_in_variables

NOTE_PREFIX = "soak w"
TRY_AGAIN = ("userErrors VIEWS_LAGGING", "userErrors STORE_BUSY")
"""Recorded but not yet visible, or not recorded because the store was busy."""
RETRY_SECONDS = 120.0
RETRY_PAUSE_SECONDS = 0.25
TIMEOUT_SECONDS = 30.0


@dataclass
class Write:
    note: str
    sent_at: float
    acknowledged_at: float | None = None
    refusal: str | None = None
    """A userErrors code: the server answered, and did not store the write."""


@dataclass
class Writers:
    """`count` writers sharing `per_second` writes a second, on their own key results."""

    server: Server
    token: str
    key_results: list[str]
    count: int
    per_second: float
    effective_at: datetime
    writes: list[Write] = field(default_factory=list)
    retries: Counter[str] = field(default_factory=Counter)
    """Why writes were sent again."""

    async def run(self, until: float) -> None:
        """Write until `until` (a `time.perf_counter()`), then finish the writes in flight."""
        limits = httpx.Limits(max_connections=self.count)
        async with httpx.AsyncClient(
            headers=bearer(self.token), timeout=TIMEOUT_SECONDS, limits=limits
        ) as http:
            await asyncio.gather(*(self.write(http, index, until) for index in range(self.count)))

    async def write(self, http: httpx.AsyncClient, index: int, until: float) -> None:
        interval = self.count / self.per_second
        own = self.key_results[index :: self.count]
        slot = time.perf_counter() + random.uniform(0, interval)
        n = 0
        while slot < until:
            await asyncio.sleep(max(0.0, slot - time.perf_counter()))
            note = f"{NOTE_PREFIX}{index} #{n}"
            write = Write(note, time.perf_counter())
            self.writes.append(write)
            variables = check_in_variables(own[n % len(own)], n, note, self.effective_at, note)
            await self.send(http, write, variables)
            n += 1
            slot = max(slot + interval, time.perf_counter())

    async def send(self, http: httpx.AsyncClient, write: Write, variables: dict[str, Any]) -> None:
        """Send until acknowledged or refused, or until RETRY_SECONDS have passed."""
        while True:
            try:
                response = await http.post(
                    self.server.graphql, json={"query": CHECK_IN, "variables": variables}
                )
            except httpx.TransportError as error:
                reason, pause = type(error).__name__, RETRY_PAUSE_SECONDS
            else:
                reason, pause = answer(response)
                if reason == "acknowledged":
                    write.acknowledged_at = time.perf_counter()
                    return
                if reason.startswith("userErrors") and reason not in TRY_AGAIN:
                    write.refusal = reason
                    return
            self.retries[reason] += 1
            if time.perf_counter() - write.sent_at > RETRY_SECONDS:
                return
            await asyncio.sleep(pause)

    def acknowledged(self) -> list[Write]:
        return [w for w in self.writes if w.acknowledged_at is not None]


def answer(response: httpx.Response) -> tuple[str, float]:
    """What a response to `CHECK_IN` says ("acknowledged", "userErrors CODE", or why to send
    it again) and how long to wait before sending it again."""
    pause = retry_after(response)
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}, not JSON", pause
    if body.get("errors"):
        code = body["errors"][0].get("extensions", {}).get("code", "no code")
        return f"HTTP {response.status_code} {code}", pause
    payload = (body.get("data") or {}).get("recordCheckIn")
    if payload is None:
        return f"HTTP {response.status_code}, no payload", pause
    if payload["userErrors"]:
        return f"userErrors {payload['userErrors'][0]['code']}", pause
    return "acknowledged", pause


def retry_after(response: httpx.Response) -> float:
    """The seconds its Retry-After header asks for, else RETRY_PAUSE_SECONDS."""
    try:
        return float(response.headers["retry-after"])
    except (KeyError, ValueError):
        return RETRY_PAUSE_SECONDS


@dataclass(frozen=True)
class Ledger:
    """The writes sent against the check-ins stored with their notes."""

    sent: int
    acknowledged: int
    stored: int
    lost: int
    """Acknowledged, yet not stored."""
    doubled: int
    """Stored once too often."""
    unsent: int
    """Stored with a note no writer sent."""
    stored_unacknowledged: int
    refused: Counter[str]
    unanswered: int

    @property
    def wrong(self) -> int:
        return self.lost + self.doubled + self.unsent


def reconcile(writes: list[Write], stored_notes: Counter[str]) -> Ledger:
    sent = {w.note for w in writes}
    acknowledged = {w.note for w in writes if w.acknowledged_at is not None}
    refused = Counter(w.refusal for w in writes if w.refusal is not None)
    return Ledger(
        sent=len(sent),
        acknowledged=len(acknowledged),
        stored=len(stored_notes),
        lost=len(acknowledged - stored_notes.keys()),
        doubled=sum(n - 1 for n in stored_notes.values()),
        unsent=len(stored_notes.keys() - sent),
        stored_unacknowledged=len(stored_notes.keys() & sent - acknowledged),
        refused=refused,
        unanswered=len(sent) - len(acknowledged) - refused.total(),
    )
