"""Progress is compared and shown at 6 decimal places; staleness follows the effective date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from okr.domain.progress import (
    TrackStatus,
    is_stale,
    progress,
    rounded,
    track_status,
    value_age,
    weighted_progress,
)
from okr.domain.values import Metric, ObjectiveStatus

TODAY = datetime(2026, 12, 1, tzinfo=UTC)


def test_progress_a_float_error_away_from_a_threshold_is_on_it() -> None:
    speaking = progress(Metric.INCREASE_TO, 3.2, 4.2, 4.1)

    assert speaking.value == pytest.approx(0.9)
    assert speaking.value != 0.9
    assert track_status(Metric.INCREASE_TO, speaking.value, 1.0) is TrackStatus.ON_TRACK
    assert track_status(Metric.INCREASE_TO, 0.9, 1.0) is TrackStatus.ON_TRACK
    assert track_status(Metric.INCREASE_TO, 0.3, 0.4) is TrackStatus.ON_TRACK
    assert track_status(Metric.INCREASE_TO, 0.5, 0.75) is TrackStatus.AT_RISK


def test_progress_short_of_a_threshold_by_more_than_the_precision_is_not_on_it() -> None:
    assert track_status(Metric.INCREASE_TO, 0.899998, 1.0) is TrackStatus.AT_RISK
    assert track_status(Metric.INCREASE_TO, 0.749998, 1.0) is TrackStatus.OFF_TRACK


@pytest.mark.parametrize(
    ("metric", "value", "met"),
    [
        (Metric.STAY_ABOVE, 800.0, 1.0),
        (Metric.STAY_ABOVE, 799.9999999999999, 1.0),
        (Metric.STAY_ABOVE, 799.99999, 0.0),
        (Metric.STAY_BELOW, 800.0000000000001, 1.0),
        (Metric.STAY_BELOW, 800.00001, 0.0),
    ],
)
def test_an_exact_hit_of_a_threshold_counts_at_6_decimal_places(
    metric: Metric, value: float, met: float
) -> None:
    assert progress(metric, 840, 800, value).value == met
    expected = TrackStatus.ON_TRACK if met else TrackStatus.OFF_TRACK
    assert track_status(metric, met, 0.5) is expected


def test_binary_progress_is_0_or_1() -> None:
    assert progress(Metric.BINARY, 0, 1, 1).value == 1.0
    assert progress(Metric.BINARY, 0, 1, 0).value == 0.0


def test_progress_is_shown_rounded() -> None:
    click_through = progress(Metric.INCREASE_TO, 40, 50, 48.4)

    assert click_through.value == 0.8399999999999999
    assert rounded(click_through.value) == 0.84
    assert rounded(2 / 3) == 0.666667
    assert str(rounded(-1e-9)) == "0.0"


def test_a_value_effective_long_ago_is_stale_however_recently_recorded() -> None:
    five_months_ago = TODAY - timedelta(days=150)
    created = TODAY - timedelta(days=200)

    age = value_age(five_months_ago, created, TODAY)

    assert age == timedelta(days=150)
    assert is_stale(ObjectiveStatus.ACTIVE, age)


def test_a_value_effective_within_14_days_is_fresh() -> None:
    created = TODAY - timedelta(days=200)

    assert not is_stale(
        ObjectiveStatus.ACTIVE, value_age(TODAY - timedelta(days=14), created, TODAY)
    )
    assert is_stale(
        ObjectiveStatus.ACTIVE, value_age(TODAY - timedelta(days=14, seconds=1), created, TODAY)
    )


def test_without_check_ins_age_counts_from_creation_and_only_active_objectives_go_stale() -> None:
    age = value_age(None, TODAY - timedelta(days=20), TODAY)

    assert age == timedelta(days=20)
    assert is_stale(ObjectiveStatus.ACTIVE, age)
    assert not is_stale(ObjectiveStatus.DRAFT, age)
    assert not is_stale(ObjectiveStatus.CLOSED, age)


def test_an_objective_rolls_its_key_results_up_by_weight_and_is_0_without_any() -> None:
    assert weighted_progress([(1.0, 0.9), (3.0, 0.5)]) == pytest.approx(0.6)
    assert weighted_progress(iter([(2.0, 0.25)])) == 0.25
    assert weighted_progress([]) == 0.0
    assert weighted_progress([(0.0, 0.7)]) == 0.0
