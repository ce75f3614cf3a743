"""Limits per token (or, without a valid token, per client address): requests per second,
cost per second, operations running at once, and open WebSockets. A refusal is `Refused`,
with a code and a hint of when to try again."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from graphql import GraphQLError

RATE_LIMITED = "RATE_LIMITED"
TOO_MANY_SOCKETS = "TOO_MANY_SOCKETS"
TRY_AGAIN_LATER = 1013
"""The WebSocket close code (RFC 6455) for a server that is refusing for now."""
BUSY_RETRY_SECONDS = 1.0
ROUNDING = 1e-9
FORGET_OVER = 10_000
"""Past this many keys, those whose buckets are full again are dropped."""


@dataclass(frozen=True)
class Limits:
    """What one token, or one address, may use at once."""

    requests_per_second: int = 50
    """Operations started per second: HTTP requests, and `subscribe` messages on sockets."""
    cost_per_second: int = 1000
    """What the operations started in a second may cost together (`okr.graphql.cost`); one
    costing more than this takes the whole second's budget."""
    operations_per_token: int = 16
    """Queries and mutations running at once (subscriptions have their own limits)."""
    sockets_per_token: int = 64
    sockets_per_address: int = 256


class Refused(Exception):
    """A request refused by a limit, with a code and when trying again may succeed."""

    def __init__(self, code: str, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def retry_after_header(self) -> str:
        """The HTTP `Retry-After` value: whole seconds, at least one."""
        return str(max(1, math.ceil(self.retry_after)))

    def error(self) -> GraphQLError:
        return GraphQLError(
            self.message,
            extensions={"code": self.code, "retryAfter": round(self.retry_after, 3)},
        )

    @property
    def close_reason(self) -> str:
        return f"{self.code}: {self.message}"


class Buckets:
    """A bucket per key holding up to `size` units, refilled at `size` a second (the generic
    cell rate algorithm: one time per key, when its bucket will be full again). Exact and
    constant-time; keys whose buckets are full are forgotten."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._full_at: dict[str, float] = {}

    def take(self, key: str, amount: int) -> float:
        """Takes `amount` (at most `size`) from `key`'s bucket: 0 if it held that much, else
        the seconds until it will, having taken nothing."""
        now = time.monotonic()
        if len(self._full_at) > FORGET_OVER:
            self._full_at = {k: t for k, t in self._full_at.items() if t > now}
        full_at = max(self._full_at.get(key, now), now) + min(amount, self.size) / self.size
        wait = full_at - now - 1.0
        if wait > ROUNDING:
            return wait
        self._full_at[key] = full_at
        return 0.0


class Admission:
    """Counts what each key (a token id, or `address:<host>`) uses against `limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._requests = Buckets(limits.requests_per_second)
        self._costs = Buckets(limits.cost_per_second)
        self._running: Counter[str] = Counter()
        self._sockets: Counter[str] = Counter()

    def request(self, key: str) -> None:
        """Counts one request of `key`; `Refused` past the rate."""
        wait = self._requests.take(key, 1)
        if wait:
            per_second = self.limits.requests_per_second
            raise Refused(RATE_LIMITED, f"Over {per_second} requests per second.", wait)

    def spend(self, key: str, cost: int) -> None:
        """Counts an operation's `cost` against `key`'s budget; `Refused` past it. One costing
        more than the whole budget takes all of it."""
        wait = self._costs.take(key, cost) if cost > 0 else 0.0
        if wait:
            budget = self.limits.cost_per_second
            raise Refused(RATE_LIMITED, f"Over a cost of {budget} per second.", wait)

    @contextmanager
    def admitted(self, key: str, subscription: bool, counted: bool = False) -> Iterator[None]:
        """Admits one operation of `key` for the block: counted against the rate (unless its
        request was, `counted`), and unless it is a subscription, holding one of the
        operations `key` may run at once."""
        if not counted:
            self.request(key)
        if subscription:
            yield
            return
        with self.operation(key):
            yield

    def operation(self, key: str) -> AbstractContextManager[None]:
        """Holds one of `key`'s running operations; `Refused` when all are in use."""
        limit = self.limits.operations_per_token
        refusal = Refused(RATE_LIMITED, f"Over {limit} operations at once.", BUSY_RETRY_SECONDS)
        return held(self._running, key, limit, refusal)

    def socket(self, key: str, address: bool = False) -> AbstractContextManager[None]:
        """Holds one of the sockets `key` (a token, or with `address` a client address) may
        have open; `Refused` when all are."""
        limit = self.limits.sockets_per_address if address else self.limits.sockets_per_token
        owner = "address" if address else "token"
        message = f"Over {limit} open WebSockets for this {owner}."
        refusal = Refused(TOO_MANY_SOCKETS, message, BUSY_RETRY_SECONDS)
        return held(self._sockets, key, limit, refusal)


@contextmanager
def held(counts: Counter[str], key: str, limit: int, refusal: Refused) -> Iterator[None]:
    """One of `key`'s `limit` places in `counts` for the block; `refusal` when none is free."""
    if counts[key] >= limit:
        raise refusal
    counts[key] += 1
    try:
        yield
    finally:
        counts[key] -= 1
        if not counts[key]:
            del counts[key]
