"""Group commit: concurrent requests share inserts, and a conflict fails only its own request."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

from okr.services.group_commit import GroupCommit


def event(version: int = 1) -> StoredEvent:
    return StoredEvent(uuid4(), version, "topic", b"{}")


class Log:
    """An insert that takes a moment, refuses a repeated (id, version) and counts calls."""

    def __init__(self) -> None:
        self.rows: list[StoredEvent] = []
        self.calls: list[int] = []
        self.lock = threading.Lock()

    def insert(self, events: Sequence[StoredEvent]) -> list[int]:
        time.sleep(0.01)
        with self.lock:
            keys = {(e.originator_id, e.originator_version) for e in self.rows}
            if any((e.originator_id, e.originator_version) in keys for e in events):
                raise IntegrityError("duplicate")
            self.calls.append(len(events))
            start = len(self.rows)
            self.rows.extend(events)
            return list(range(start + 1, start + 1 + len(events)))


def test_concurrent_requests_share_inserts_and_get_their_own_positions() -> None:
    log = Log()
    commit = GroupCommit(log.insert)
    requests = [[event(), event()] for _ in range(40)]

    with ThreadPoolExecutor(16) as pool:
        positions = list(pool.map(commit, requests))

    assert len(log.calls) < len(requests)
    assert sorted(p for pair in positions for p in pair) == list(range(1, 81))
    for request, (first, second) in zip(requests, positions, strict=True):
        assert log.rows[first - 1] is request[0]
        assert log.rows[second - 1] is request[1]


def test_a_conflict_fails_only_its_own_request() -> None:
    log = Log()
    taken = event()
    log.insert([taken])
    commit = GroupCommit(log.insert)
    clash = StoredEvent(taken.originator_id, 1, "topic", b"{}")
    requests = [[event()] for _ in range(10)] + [[clash]] + [[event()] for _ in range(10)]

    def run(request: list[StoredEvent]) -> Sequence[int] | Exception:
        try:
            return commit(request)
        except IntegrityError as error:
            return error

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(run, requests))

    assert isinstance(outcomes[10], IntegrityError)
    assert all(not isinstance(o, Exception) for n, o in enumerate(outcomes) if n != 10)
    assert len(log.rows) == 21


def test_any_other_failure_is_every_grouped_requests() -> None:
    def down(events: Sequence[StoredEvent]) -> list[int]:
        raise OperationalError("the server went away")

    with pytest.raises(OperationalError):
        GroupCommit(down)([event()])
