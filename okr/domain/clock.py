"""The clock that stamps events; injectable so a demo can spread history over a quarter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current UTC time."""
    return datetime.now(UTC)


_clock: ContextVar[Clock] = ContextVar("okr_clock", default=system_clock)


def now() -> datetime:
    """The time according to the clock in force."""
    return _clock.get()()


@contextmanager
def using_clock(clock: Clock) -> Iterator[None]:
    """Stamp events recorded inside the block with `clock`."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)
