"""A row reaches its subscribers a slice at a time: between slices the event loop runs its
other callbacks, so no turn of it wakes every subscriber; one joining meanwhile starts after
the row."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import cast

from okr.graphql.broadcast import FAN_OUT, Broadcaster, Subscriber
from okr.views.database import Row, SqlConnection

SUBSCRIBERS = 4 * FAN_OUT


class AuditLog:
    """Answers the broadcaster's read of the rows after a position."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    async def fetch(self, _sql: str, after: int, limit: int) -> list[Row]:
        return [r for r in self.rows if r["position"] > after][:limit]


async def test_no_turn_of_the_event_loop_wakes_more_than_a_slice_of_subscribers() -> None:
    broadcaster = Broadcaster(
        cast("SqlConnection", AuditLog([{"position": 1, "organization_id": "o"}]))
    )
    subscribers = [broadcaster.subscribe("o") for _ in range(SUBSCRIBERS)]
    elsewhere = broadcaster.subscribe("other")
    turns = 0
    woken_in_turn: Counter[int] = Counter()
    joined: list[Subscriber] = []

    async def count_turns() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    async def consume(subscriber: Subscriber) -> None:
        await subscriber.next()
        woken_in_turn[turns] += 1
        if not joined:
            joined.append(broadcaster.subscribe("o"))

    counting = asyncio.create_task(count_turns())
    consumers = [asyncio.create_task(consume(s)) for s in subscribers]
    await asyncio.sleep(0)
    await broadcaster.deliver()
    await asyncio.gather(*consumers)
    counting.cancel()

    assert woken_in_turn.total() == SUBSCRIBERS
    assert max(woken_in_turn.values()) <= FAN_OUT
    assert elsewhere.queue.qsize() == 0
    assert joined[0].start == 1
    assert joined[0].queue.qsize() == 0
