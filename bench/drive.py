"""Closed-loop load: each client sends its next request when the last one returns."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.stats import Latencies


@dataclass(frozen=True)
class Load:
    """What `clients` clients achieved together over one round."""

    clients: int
    rate: float
    latencies: Latencies


def in_threads(clients: int, seconds: float, call: Callable[[int, int], None]) -> Load:
    """Run `call(client, n)` in a loop on `clients` threads for `seconds`."""
    samples: list[list[float]] = [[] for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def client(index: int) -> None:
        start.wait()
        n = 0
        while (now := time.perf_counter()) < deadline:
            call(index, n)
            samples[index].append(time.perf_counter() - now)
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return _load(clients, samples, time.perf_counter() - began)


async def in_tasks(
    clients: int, seconds: float, call: Callable[[int, int], Awaitable[None]]
) -> Load:
    """Run `await call(client, n)` in a loop on `clients` tasks for `seconds`."""
    samples: list[list[float]] = [[] for _ in range(clients)]
    began = time.perf_counter()
    deadline = began + seconds

    async def client(index: int) -> None:
        n = 0
        while (now := time.perf_counter()) < deadline:
            await call(index, n)
            samples[index].append(time.perf_counter() - now)
            n += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    return _load(clients, samples, time.perf_counter() - began)


def _load(clients: int, samples: list[list[float]], elapsed: float) -> Load:
    flat = [s for client in samples for s in client]
    if not flat:
        raise RuntimeError("no request completed in the round")
    return Load(clients, len(flat) / elapsed, Latencies(flat))
