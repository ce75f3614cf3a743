"""The buckets behind the limits per token, on a clock the tests move."""

from __future__ import annotations

import pytest

from okr.graphql import admission
from okr.graphql.admission import Admission, Buckets, Limits, Refused


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr("okr.graphql.admission.time.monotonic", ticking)
    return ticking


def test_a_full_bucket_gives_its_size_at_once_then_refills_at_size_a_second(clock: Clock) -> None:
    buckets = Buckets(10)

    assert [buckets.take("a", 1) for _ in range(10)] == [0.0] * 10
    assert buckets.take("a", 1) == pytest.approx(0.1)
    clock.now += 0.25
    assert [buckets.take("a", 1) for _ in range(3)] == [0.0, 0.0, pytest.approx(0.05)]


def test_a_refused_take_takes_nothing(clock: Clock) -> None:
    buckets = Buckets(100)
    buckets.take("a", 90)

    assert buckets.take("a", 30) == pytest.approx(0.2)
    assert buckets.take("a", 10) == 0.0


def test_more_than_the_size_takes_the_whole_bucket(clock: Clock) -> None:
    buckets = Buckets(100)

    assert buckets.take("a", 5000) == 0.0
    assert buckets.take("a", 1) == pytest.approx(0.01)
    clock.now += 1.0
    assert buckets.take("a", 5000) == 0.0


def test_each_key_has_its_own_bucket(clock: Clock) -> None:
    buckets = Buckets(1)
    buckets.take("a", 1)

    assert buckets.take("b", 1) == 0.0
    assert buckets.take("a", 1) > 0


def test_full_buckets_are_forgotten_past_many_keys(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admission, "FORGET_OVER", 3)
    buckets = Buckets(10)
    for key in "abcd":
        buckets.take(key, 10)
    clock.now += 2.0
    buckets.take("e", 10)

    assert set(buckets._full_at) == {"e"}


def test_operations_at_once_are_held_and_let_go(clock: Clock) -> None:
    limits = Admission(Limits(operations_per_token=2))
    with limits.operation("a"), limits.operation("a"):
        with pytest.raises(Refused) as refused, limits.operation("a"):
            pass
        with limits.operation("b"):
            pass
    with limits.operation("a"), limits.operation("a"):
        pass

    assert refused.value.code == "RATE_LIMITED"
    assert refused.value.retry_after_header == "1"


def test_sockets_per_address_and_per_token_are_counted_apart(clock: Clock) -> None:
    limits = Admission(Limits(sockets_per_token=1, sockets_per_address=2))
    with limits.socket("t"), limits.socket("x", address=True), limits.socket("x", address=True):
        with pytest.raises(Refused, match="for this address"), limits.socket("x", address=True):
            pass
        with pytest.raises(Refused, match="for this token"), limits.socket("t"):
            pass


def test_a_refusal_says_when_to_come_back(clock: Clock) -> None:
    limits = Admission(Limits(requests_per_second=2, cost_per_second=100))
    limits.request("a")
    limits.request("a")
    limits.spend("a", 80)

    with pytest.raises(Refused) as over_rate:
        limits.request("a")
    with pytest.raises(Refused) as over_budget:
        limits.spend("a", 50)

    assert over_rate.value.error().extensions == {"code": "RATE_LIMITED", "retryAfter": 0.5}
    assert over_budget.value.retry_after == pytest.approx(0.3)
    assert over_budget.value.retry_after_header == "1"
