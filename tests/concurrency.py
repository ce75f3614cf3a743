"""Start jobs at the same moment (threads released by one barrier) and collect outcomes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def race(jobs: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run every job at once; each one's result or what it raised, in the jobs' order."""
    barrier = threading.Barrier(len(jobs))
    unfinished = TimeoutError("the job did not finish within 60 s")
    outcomes: list[T | BaseException] = [unfinished] * len(jobs)

    def run(index: int, job: Callable[[], T]) -> None:
        barrier.wait()
        try:
            outcomes[index] = job()
        except BaseException as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def run_together(jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Start every job at once; return what they raised."""
    return [o for o in race(jobs) if isinstance(o, BaseException)]
