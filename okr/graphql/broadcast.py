"""Fans new audit-log rows out to subscribers: one reader per process, a bounded queue each."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from typing import Generic, TypeVar

from graphql import ExecutionResult

from okr.graphql.audit_types import Event
from okr.graphql.auth import TokenChecks
from okr.views.audit_log import audit_events_of_all, latest_audit_position
from okr.views.database import Row, SqlConnection

log = logging.getLogger(__name__)

QUEUE_SIZE = 1000
POLL_SECONDS = 0.25
READ_LIMIT = 1000
RESULTS_KEPT = 1000
FAN_OUT = 25
"""Subscribers a row wakes in one turn of the event loop (each then sends its frame)."""

K = TypeVar("K")
V = TypeVar("V")


class SubscriberOverflow(Exception):
    """The subscriber fell further behind than its queue holds."""


class Rows:
    """A bounded queue with one consumer: what `asyncio.Queue` does here, without the four
    deques it keeps for many producers and consumers (idle subscribers are many)."""

    __slots__ = ("_rows", "_waiter", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._rows: deque[Row] = deque()
        self._waiter: asyncio.Future[None] | None = None

    def qsize(self) -> int:
        return len(self._rows)

    def put_nowait(self, row: Row) -> None:
        if len(self._rows) >= self.size:
            raise asyncio.QueueFull
        self._rows.append(row)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self) -> Row:
        while not self._rows:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._rows.popleft()


class Subscriber:
    """One subscription's live feed: rows of its organization after `start`, in order."""

    def __init__(self, organization_id: str, start: int, size: int) -> None:
        self.organization_id = organization_id
        self.start = start
        self.queue = Rows(size)
        self.overflowed = False

    def offer(self, row: Row) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(row)
        except asyncio.QueueFull:
            self.overflowed = True

    async def next(self) -> Row:
        """The next row. Once the queue has overflowed nothing more is delivered, not even
        what is queued, so the last row delivered is where the client resumes."""
        if self.overflowed:
            raise SubscriberOverflow
        return await self.queue.get()


class Recent(Generic[K, V]):
    """A map that forgets its oldest entries beyond `size`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)


class Broadcaster:
    """Reads rows the runner appended to the audit log and offers them to subscribers.
    Subscribers share through it what each would otherwise work out alone: each live event,
    its executed result per subscription shape (see `subscriptions.SharedEventResults`),
    and whether a token is still live."""

    def __init__(self, store: SqlConnection, queue_size: int = QUEUE_SIZE) -> None:
        self.store = store
        self.queue_size = queue_size
        self.position = 0
        self.events: Recent[int, Event] = Recent(RESULTS_KEPT)
        self.results: Recent[tuple[object, ...], ExecutionResult] = Recent(RESULTS_KEPT)
        self.tokens = TokenChecks(store)
        self._subscribers: set[Subscriber] = set()
        self._woken = asyncio.Event()

    async def start_at_head(self) -> None:
        self.position = await latest_audit_position(self.store)

    def wake(self) -> None:
        """Called when the views advanced in this process."""
        self._woken.set()

    def subscribe(self, organization_id: str) -> Subscriber:
        subscriber = Subscriber(organization_id, self.position, self.queue_size)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def run(self) -> None:
        """Deliver until cancelled; a failed read is logged and retried."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), POLL_SECONDS)
            self._woken.clear()
            try:
                await self.deliver()
            except Exception:
                log.exception("reading the audit log for subscribers failed")

    async def deliver(self) -> None:
        """Offer every new row, FAN_OUT subscribers at a time, yielding after each slice: the
        subscribers woken send their frames before the next slice is woken, and no turn of the
        event loop runs them all. A subscriber joining meanwhile starts after the row (its
        backlog holds it)."""
        while True:
            rows = await audit_events_of_all(self.store, self.position, READ_LIMIT)
            for row in rows:
                organization = row["organization_id"]
                audience = [s for s in self._subscribers if s.organization_id == organization]
                self.position = int(row["position"])
                for first in range(0, max(len(audience), 1), FAN_OUT):
                    for subscriber in audience[first : first + FAN_OUT]:
                        subscriber.offer(row)
                    await asyncio.sleep(0)
            if len(rows) < READ_LIMIT:
                return
