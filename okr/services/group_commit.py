"""Group commit: commands saved at the same moment share one transaction.

The first caller to find no commit in progress leads: it takes every request queued so far,
inserts all their events in one transaction and hands each request its positions. If the
combined insert conflicts (one request lost a race, say), each request is inserted alone, so
only the conflicting one fails; any other failure is every request's. Positions stay gap-free
and in commit order, since the recorder's own insert path is unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import IntegrityError, StoredEvent

Insert = Callable[[Sequence[StoredEvent]], Sequence[int] | None]


@dataclass
class _Request:
    events: Sequence[StoredEvent]
    positions: Sequence[int] = ()
    error: BaseException | None = None
    done: bool = False


@dataclass
class GroupCommit:
    """Inserts concurrent requests together through `insert` (a recorder's insert_events)."""

    insert: Insert
    _queue: list[_Request] = field(default_factory=list)
    _leading: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, events: Sequence[StoredEvent]) -> Sequence[int]:
        """Insert `events` in one transaction, possibly with other callers'; their positions."""
        request = _Request(events)
        with self._changed:
            self._queue.append(request)
            while self._leading and not request.done:
                self._changed.wait()
            if not request.done:
                self._leading = True
                group, self._queue = self._queue, []
        if not request.done:
            try:
                self._commit(group)
            finally:
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()
        if request.error is not None:
            raise request.error
        return request.positions

    def _commit(self, group: list[_Request]) -> None:
        try:
            positions = self._insert([e for request in group for e in request.events])
        except IntegrityError as error:
            if len(group) == 1:
                group[0].error = error
            else:
                for request in group:
                    self._commit([request])
        except Exception as error:
            for request in group:
                request.error = error
        else:
            for request in group:
                request.positions, positions = (
                    positions[: len(request.events)],
                    positions[len(request.events) :],
                )
        for request in group:
            request.done = True

    def _insert(self, events: Sequence[StoredEvent]) -> Sequence[int]:
        return list(self.insert(events) or ())
