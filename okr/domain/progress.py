"""Progress, expected progress, track status and staleness: pure arithmetic over values and dates.

Numeric policy: numbers are compared at PRECISION (6) decimal places. A comparison against a
threshold rounds the difference to 6 places first, so 0.8999999999999995 and 0.9 are the same
progress and 799.9999999999999 hits a target of 800. Progress shown to clients is `rounded`
the same way (0.84, not 0.8399999999999999); the unclamped figure is kept as computed.

Rules:
- INCREASE_TO and DECREASE_TO: (current - start) / (target - start), kept unclamped and
  shown clamped to 0..1.
- STAY_ABOVE is met (1) when current >= target, STAY_BELOW when current <= target; an exact
  hit of the threshold counts as met. Otherwise 0.
- BINARY is 1 once the value is 1, else 0; MILESTONE is the value / 100.
- Before any check-in the current value is the start. The unclamped figure is kept within
  ±1e12, so it is always a finite number.
- An objective's progress is its key results' progress weighted by weight: sum(weight x
  progress) / sum(weight), summed in the order given; 0 with no key results (or a zero total
  weight, which positive weights rule out).
- Expected progress grows linearly from 0 on the period's first day to 1 at the end of its
  last day. A threshold key result is ON_TRACK while met and OFF_TRACK otherwise; any other
  is ON_TRACK within 0.1 of the expected progress, AT_RISK within 0.25, else OFF_TRACK.
- A key result of an active objective is stale when its newest value is more than 14 days
  old: counted from the latest check-in's `effective_at` (what the data is about, not when
  it was recorded), or from the key result's creation before any check-in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from okr.domain.values import Metric, ObjectiveStatus

PRECISION = 6
ON_TRACK_GAP = 0.1
UNCLAMPED_MAX = 1e12
AT_RISK_GAP = 0.25
STALE_AFTER = timedelta(days=14)


class TrackStatus(StrEnum):
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    OFF_TRACK = "OFF_TRACK"


def rounded(number: float) -> float:
    """`number` at PRECISION decimal places: how progress is shown and compared."""
    return round(number, PRECISION) + 0.0


def at_least(number: float, threshold: float) -> bool:
    """`number` >= `threshold` at PRECISION decimal places."""
    return rounded(number - threshold) >= 0.0


@dataclass(frozen=True)
class Progress:
    """Progress toward a target: `value` for display (0..1), `unclamped` as computed."""

    value: float
    unclamped: float


def progress(metric: Metric, start: float, target: float, current: float | None) -> Progress:
    """How far `current` has come from `start` toward `target`."""
    now = start if current is None else current
    if metric is Metric.STAY_ABOVE:
        met = float(at_least(now, target))
        return Progress(met, met)
    if metric is Metric.STAY_BELOW:
        met = float(at_least(target, now))
        return Progress(met, met)
    if metric is Metric.BINARY:
        done = float(at_least(now, 1.0))
        return Progress(done, done)
    if metric is Metric.MILESTONE:
        share = now / 100.0
        return Progress(share, share)
    raw = (now - start) / (target - start) if target != start else 0.0
    if not math.isfinite(raw):
        raw = math.copysign(UNCLAMPED_MAX, raw) if not math.isnan(raw) else 0.0
    raw = min(max(raw, -UNCLAMPED_MAX), UNCLAMPED_MAX)
    return Progress(min(max(raw, 0.0), 1.0), raw)


def weighted_progress(parts: Iterable[tuple[float, float]]) -> float:
    """Progress rolled up from `(weight, progress)` pairs; 0.0 when the weights sum to 0."""
    listed = list(parts)
    total = sum(weight for weight, _ in listed)
    return sum(weight * share for weight, share in listed) / total if total else 0.0


def period_bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """The period as UTC moments: from the start of its first day to the end of its last."""
    return (
        datetime.combine(starts_on, time(), UTC),
        datetime.combine(ends_on + timedelta(days=1), time(), UTC),
    )


def expected_progress(starts_on: date, ends_on: date, moment: datetime) -> float:
    """The share of the period that has passed at `moment`, 0..1."""
    begin, end = period_bounds(starts_on, ends_on)
    share = (moment - begin) / (end - begin)
    return min(max(share, 0.0), 1.0)


def track_status(metric: Metric, achieved: float, expected: float) -> TrackStatus:
    """ON_TRACK, AT_RISK or OFF_TRACK against the expected progress."""
    if metric in (Metric.STAY_ABOVE, Metric.STAY_BELOW):
        return TrackStatus.ON_TRACK if at_least(achieved, 1.0) else TrackStatus.OFF_TRACK
    gap = expected - achieved
    if at_least(ON_TRACK_GAP, gap):
        return TrackStatus.ON_TRACK
    if at_least(AT_RISK_GAP, gap):
        return TrackStatus.AT_RISK
    return TrackStatus.OFF_TRACK


def value_age(
    latest_effective_at: datetime | None, created_at: datetime, moment: datetime
) -> timedelta:
    """How old a key result's newest value is at `moment`: since the latest check-in's
    `effective_at`, or since the key result was created when it has none."""
    return moment - (created_at if latest_effective_at is None else latest_effective_at)


def is_stale(objective_status: ObjectiveStatus, age: timedelta) -> bool:
    """A key result of an active objective is stale once its newest value is over 14 days old."""
    return objective_status is ObjectiveStatus.ACTIVE and age > STALE_AFTER
