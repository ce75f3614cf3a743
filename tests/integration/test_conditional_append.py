"""Each store's conditional append: the read sets are checked against the log and against the
requests before them, in the transaction that inserts."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from okr.infra.appenders import conditional_append
from okr.services.append_condition import AppendRequest, StaleRead
from okr.services.application import OkrApplication


def event(aggregate_id: UUID, version: int) -> StoredEvent:
    return StoredEvent(aggregate_id, version, "okr.test:Probe", b"{}")


def request(aggregate_id: UUID, version: int, **reads: int) -> AppendRequest:
    read_set = {aggregate_id: version - 1} | {UUID(k[1:]): v for k, v in reads.items()}
    return AppendRequest([event(aggregate_id, version)], read_set)


def stored(app: OkrApplication) -> list[tuple[UUID, int]]:
    return [
        (UUID(str(n.originator_id)), n.originator_version)
        for n in app.recorder.select_notifications(1, 100)
    ]


def test_fresh_requests_are_appended_in_order_and_stale_ones_refused(
    store_app: OkrApplication,
) -> None:
    append = conditional_append(store_app.recorder)
    period, key_result, other = uuid4(), uuid4(), uuid4()
    [created] = append([AppendRequest([event(period, 1)], {period: 0})])
    assert isinstance(created, list)

    closing = request(period, 2)
    checking_in = request(key_result, 1, **{f"_{period}": 1})
    unrelated = request(other, 1)
    outcomes = append([closing, checking_in, unrelated])

    assert isinstance(outcomes[0], list)
    assert isinstance(outcomes[1], StaleRead)
    assert outcomes[1].aggregate_ids == {period}
    assert isinstance(outcomes[2], list)
    assert [*created, *outcomes[0], *outcomes[2]] == [1, 2, 3]
    assert stored(store_app) == [(period, 1), (period, 2), (other, 1)]

    [late] = append([request(key_result, 1, **{f"_{period}": 1})])
    assert isinstance(late, StaleRead)
    assert len(stored(store_app)) == 3


def test_a_clash_outside_any_read_set_fails_the_whole_transaction(
    store_app: OkrApplication,
) -> None:
    append = conditional_append(store_app.recorder)
    taken, fresh = uuid4(), uuid4()
    append([AppendRequest([event(taken, 1)], {taken: 0})])

    with pytest.raises(IntegrityError):
        append([AppendRequest([event(fresh, 1)], {}), AppendRequest([event(taken, 1)], {})])

    assert stored(store_app) == [(taken, 1)]
    append([AppendRequest([event(fresh, 1)], {fresh: 0})])
    assert stored(store_app) == [(taken, 1), (fresh, 1)]


def test_a_failure_after_the_insert_leaves_nothing_behind(
    store_app: OkrApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    append = conditional_append(store_app.recorder)
    after_insert = (
        "_fetch_ids_after_insert_events"
        if hasattr(store_app.recorder, "_fetch_ids_after_insert_events")
        else "_insert_events"
    )

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process failed half-way")

    monkeypatch.setattr(store_app.recorder, after_insert, fail)
    aggregate = uuid4()
    with pytest.raises(RuntimeError):
        append([AppendRequest([event(aggregate, 1)], {aggregate: 0})])

    monkeypatch.undo()
    assert stored(store_app) == []
