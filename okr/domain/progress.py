"""Progress, expected progress and track status: pure arithmetic over values and dates.

Rules:
- INCREASE_TO and DECREASE_TO: (current - start) / (target - start), kept unclamped and
  shown clamped to 0..1.
- STAY_ABOVE is met (1) when current >= target, STAY_BELOW when current <= target; an exact
  hit of the threshold counts as met. Otherwise 0.
- BINARY is the value itself (0 or 1); MILESTONE is the value / 100.
- Before any check-in the current value is the start. The unclamped figure is kept within
  ±1e12, so it is always a finite number.
- Expected progress grows linearly from 0 on the period's first day to 1 at the end of its
  last day. A threshold key result is ON_TRACK while met and OFF_TRACK otherwise; any other
  is ON_TRACK within 0.1 of the expected progress, AT_RISK within 0.25, else OFF_TRACK.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from okr.domain.values import Metric

ON_TRACK_GAP = 0.1
UNCLAMPED_MAX = 1e12
AT_RISK_GAP = 0.25


class TrackStatus(StrEnum):
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    OFF_TRACK = "OFF_TRACK"


@dataclass(frozen=True)
class Progress:
    """Progress toward a target: `value` for display (0..1), `unclamped` as computed."""

    value: float
    unclamped: float


def progress(metric: Metric, start: float, target: float, current: float | None) -> Progress:
    """How far `current` has come from `start` toward `target`."""
    now = start if current is None else current
    if metric is Metric.STAY_ABOVE:
        met = float(now >= target)
        return Progress(met, met)
    if metric is Metric.STAY_BELOW:
        met = float(now <= target)
        return Progress(met, met)
    if metric is Metric.BINARY:
        return Progress(now, now)
    if metric is Metric.MILESTONE:
        share = now / 100.0
        return Progress(share, share)
    raw = (now - start) / (target - start) if target != start else 0.0
    if not math.isfinite(raw):
        raw = math.copysign(UNCLAMPED_MAX, raw) if not math.isnan(raw) else 0.0
    raw = min(max(raw, -UNCLAMPED_MAX), UNCLAMPED_MAX)
    return Progress(min(max(raw, 0.0), 1.0), raw)


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
        return TrackStatus.ON_TRACK if achieved >= 1.0 else TrackStatus.OFF_TRACK
    gap = expected - achieved
    if gap <= ON_TRACK_GAP:
        return TrackStatus.ON_TRACK
    if gap <= AT_RISK_GAP:
        return TrackStatus.AT_RISK
    return TrackStatus.OFF_TRACK
