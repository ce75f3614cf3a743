"""Group commit: concurrent requests share appends, and a stale read fails only its own
request, checked against the log and against the requests before it in the group."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import OperationalError, StoredEvent

from okr.services.append_condition import (
    AppendRequest,
    Outcome,
    StaleRead,
    accepted_events,
    split_positions,
    stale_reads,
)
from okr.services.group_commit import GroupCommit


def event(aggregate_id: UUID | None = None, version: int = 1) -> StoredEvent:
    return StoredEvent(aggregate_id or uuid4(), version, "topic", b"{}")


def request(*events: StoredEvent, reads: dict[UUID, int] | None = None) -> AppendRequest:
    read_set = {UUID(str(e.originator_id)): e.originator_version - 1 for e in events}
    return AppendRequest(events, read_set | (reads or {}))


class Log:
    """A conditional append that takes a moment and counts its transactions."""

    def __init__(self) -> None:
        self.rows: list[StoredEvent] = []
        self.calls: list[int] = []
        self.lock = threading.Lock()

    def latest(self) -> dict[UUID, int]:
        return {UUID(str(e.originator_id)): e.originator_version for e in self.rows}

    def append(self, requests: Sequence[AppendRequest]) -> list[Outcome]:
        time.sleep(0.01)
        with self.lock:
            decisions = stale_reads(requests, self.latest())
            events = accepted_events(requests, decisions)
            self.calls.append(len(requests))
            start = len(self.rows)
            self.rows.extend(events)
            return split_positions(
                requests, decisions, list(range(start + 1, start + 1 + len(events)))
            )


def test_concurrent_requests_share_appends_and_get_their_own_positions() -> None:
    log = Log()
    commit = GroupCommit(log.append)
    requests = [request(event(), event()) for _ in range(40)]

    with ThreadPoolExecutor(16) as pool:
        positions = list(pool.map(commit, requests))

    assert len(log.calls) < len(requests)
    assert sorted(p for pair in positions for p in pair) == list(range(1, 81))
    for sent, (first, second) in zip(requests, positions, strict=True):
        assert log.rows[first - 1] is sent.events[0]
        assert log.rows[second - 1] is sent.events[1]


def test_a_stale_read_fails_only_its_own_request() -> None:
    log = Log()
    period = uuid4()
    log.rows.append(event(period, 1))
    log.rows.append(event(period, 2))
    commit = GroupCommit(log.append)
    behind = request(event(), reads={period: 1})
    requests = (
        [request(event()) for _ in range(10)] + [behind] + [request(event()) for _ in range(10)]
    )

    def run(sent: AppendRequest) -> Sequence[int] | Exception:
        try:
            return commit(sent)
        except StaleRead as error:
            return error

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(run, requests))

    stale = outcomes[10]
    assert isinstance(stale, StaleRead)
    assert stale.aggregate_ids == {period}
    assert all(not isinstance(o, Exception) for n, o in enumerate(outcomes) if n != 10)
    assert len(log.rows) == 22


def test_a_later_request_in_the_group_sees_what_an_earlier_one_writes() -> None:
    period, key_result = uuid4(), uuid4()
    close = request(event(period, 2), reads={period: 1})
    check_in = request(event(key_result, 5), reads={period: 1, key_result: 4})
    unrelated = request(event(), reads={key_result: 4})

    decisions = stale_reads([close, check_in, unrelated], {period: 1, key_result: 4})

    assert decisions == [frozenset(), frozenset({period}), frozenset()]
    assert stale_reads([check_in, close], {period: 1, key_result: 4}) == [frozenset()] * 2


def test_an_absent_aggregate_read_as_version_0_is_stale_once_created() -> None:
    name_claim = uuid4()
    first = request(event(name_claim, 1))
    second = request(event(name_claim, 1))

    assert stale_reads([first, second], {}) == [frozenset(), frozenset({name_claim})]
    assert stale_reads([second], {name_claim: 1}) == [frozenset({name_claim})]


def test_any_other_failure_is_every_grouped_requests() -> None:
    def down(requests: Sequence[AppendRequest]) -> list[Outcome]:
        raise OperationalError("the server went away")

    with pytest.raises(OperationalError):
        GroupCommit(down)(request(event()))


def test_a_re_run_goes_ahead_of_newer_requests_in_its_group() -> None:
    key_result = uuid4()
    release = threading.Event()
    groups: list[list[int]] = []
    log = Log()

    def append(requests: Sequence[AppendRequest]) -> list[Outcome]:
        if not groups:
            release.wait(5)
        groups.append([r.priority for r in requests])
        return log.append(requests)

    commit = GroupCommit(append)
    newcomer = AppendRequest([event(key_result, 1)], {key_result: 0})
    re_run = AppendRequest([event(key_result, 1)], {key_result: 0}, priority=2)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(commit, request(event()))
        time.sleep(0.05)
        late = pool.submit(commit, newcomer)
        time.sleep(0.05)
        earlier = pool.submit(commit, re_run)
        time.sleep(0.05)
        release.set()

        assert first.result() == [1]
        assert earlier.result() == [2]
        with pytest.raises(StaleRead):
            late.result()
    assert groups == [[0], [2, 0]]
