"""Group commit: commands saved at the same moment share one transaction.

The first caller to find no commit in progress leads: it takes every request queued so far,
re-runs first (so a command that lost a race is not starved by newcomers), and appends them
in one transaction through a conditional append, which checks each request's read
set against the log and against the requests before it in the group. A request whose read set
changed gets StaleRead and nothing of it is saved; the others are saved. If the combined append
fails on a uniqueness conflict (which the read sets make all but impossible: every aggregate a
request writes is in its read set), each request is appended alone, so only the conflicting
one fails; any other failure is every request's. Positions follow commit order; on
PostgreSQL a transaction that fails after drawing positions leaves a gap, which followers skip.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import IntegrityError

from okr.services.append_condition import AppendRequest, ConditionalAppend, Outcome


@dataclass
class _Waiting:
    request: AppendRequest
    outcome: Outcome | BaseException | None = None
    done: bool = False


@dataclass
class GroupCommit:
    """Appends concurrent requests together through `append`."""

    append: ConditionalAppend
    _queue: list[_Waiting] = field(default_factory=list)
    _leading: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, request: AppendRequest) -> Sequence[int]:
        """Append `request`, possibly with other callers'; its positions (or StaleRead)."""
        waiting = _Waiting(request)
        with self._changed:
            self._queue.append(waiting)
            while self._leading and not waiting.done:
                self._changed.wait()
            if not waiting.done:
                self._leading = True
                group = sorted(self._queue, key=lambda w: -w.request.priority)
                self._queue = []
        if not waiting.done:
            try:
                self._commit(group)
            finally:
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()
        outcome, waiting.outcome = waiting.outcome, None
        if isinstance(outcome, BaseException):
            try:
                raise outcome
            finally:
                del outcome
        assert outcome is not None
        return outcome

    def settle(self) -> None:
        """Wait until the commit in progress, if any, has finished: a command about to run
        again reads after it, rather than against a group that is still landing."""
        with self._changed:
            while self._leading:
                self._changed.wait()

    def _commit(self, group: list[_Waiting]) -> None:
        try:
            outcomes: list[Outcome | BaseException] = list(self.append([w.request for w in group]))
        except IntegrityError as error:
            if len(group) == 1:
                outcomes = [error]
            else:
                for waiting in group:
                    self._commit([waiting])
                return
        except Exception as error:
            outcomes = [error] * len(group)
        for waiting, outcome in zip(group, outcomes, strict=True):
            waiting.outcome, waiting.done = outcome, True
