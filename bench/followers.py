"""`events` subscribers that never give up: whenever a socket or a subscription ends, they
subscribe again after the last cursor they received, and they keep every position in the
order it arrived, so that losses, doubles and disorder can be counted afterwards."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from bench.wire import subscribe

BACKOFF_SECONDS = (0.25, 4.0)


@dataclass
class Follower:
    """One subscriber; `follow` runs until cancelled."""

    url: str
    token: str
    cursor: str
    positions: array[int] = field(default_factory=lambda: array("q"))
    subscriptions: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    """Why each subscription ended, before the harness stopped it."""

    async def follow(self, gate: asyncio.Semaphore) -> None:
        backoff = BACKOFF_SECONDS[0]
        while True:
            socket = None
            try:
                async with gate:
                    socket = await subscribe(self.url, self.token, self.cursor)
                self.subscriptions += 1
                backoff = BACKOFF_SECONDS[0]
                ending = await self.read(socket)
            except ConnectionClosed as closed:
                ending = f"closed {closed.rcvd.code if closed.rcvd else 'without a close frame'}"
            except (OSError, InvalidHandshake, TimeoutError, RuntimeError) as error:
                ending = type(error).__name__
            finally:
                if socket is not None:
                    await socket.close()
            self.endings[ending] += 1
            await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
            backoff = min(2 * backoff, BACKOFF_SECONDS[1])

    async def read(self, socket: ClientConnection) -> str:
        """Record events until the subscription ends; why it ended."""
        async for frame in socket:
            message = json.loads(frame)
            kind = message["type"]
            if kind == "next" and not message["payload"].get("errors"):
                self.receive(message["payload"]["data"]["events"])
            elif kind == "next":
                return code_of(message["payload"]["errors"])
            elif kind == "error":
                return code_of(message["payload"])
            elif kind == "ping":
                await socket.send(json.dumps({"type": "pong"}))
            elif kind == "complete":
                return "complete"
        return f"closed {socket.close_code}"

    def receive(self, event: dict[str, Any]) -> None:
        self.positions.append(int(event["position"]))
        self.cursor = event["cursor"]

    @property
    def last_position(self) -> int:
        return self.positions[-1] if self.positions else 0


def code_of(errors: list[dict[str, Any]]) -> str:
    return str(errors[0].get("extensions", {}).get("code", "error without a code"))


@dataclass
class Deliveries:
    """What the followers received, against the events they should have."""

    expected: int = 0
    delivered: int = 0
    lost: int = 0
    doubled: int = 0
    disordered: int = 0
    unexpected: int = 0

    def add(self, received: array[int], expected: array[int]) -> None:
        self.expected += len(expected)
        self.delivered += len(received)
        if received == expected:
            return
        distinct, wanted = set(received), set(expected)
        self.lost += len(wanted - distinct)
        self.doubled += len(received) - len(distinct)
        self.disordered += sum(1 for a, b in itertools.pairwise(received) if b < a)
        self.unexpected += len(distinct - wanted)


def deliveries(followers: list[Follower], expected: array[int]) -> Deliveries:
    found = Deliveries()
    for follower in followers:
        found.add(follower.positions, expected)
    return found
