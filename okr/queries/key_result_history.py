"""How a key result, or an objective, moved over a time range, as known at any time.

Points fall at the end of each whole DAY or WEEK counted from `from`; each carries the latest
check-in in effect by then (carried forward), the target in force, progress against it and
against the original target, the expected progress and the confidence. With `as_of`, only
what had been recorded by then counts: later check-ins, corrections and revisions are unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from okr.domain.errors import InvalidInput
from okr.domain.progress import (
    TrackStatus,
    expected_progress,
    progress,
    track_status,
    weighted_progress,
)
from okr.domain.values import Metric, check_year
from okr.views.base import iso
from okr.views.check_in_history import check_ins_known_at
from okr.views.database import Row, SqlConnection

MAX_POINTS = 400


class Interval(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"


@dataclass(frozen=True)
class HistoryPoint:
    """A key result's state at the end of `on`."""

    on: date
    value: float | None
    confidence: int | None
    target: float
    progress: float
    progress_unclamped: float
    original_progress: float
    expected_progress: float
    status: TrackStatus


@dataclass(frozen=True)
class ProgressPoint:
    """An objective's weighted progress at the end of `on`."""

    on: date
    progress: float
    expected_progress: float


def point_days(start: date, end: date, interval: Interval) -> list[date]:
    """The last day of each whole interval from `start` up to `end`."""
    check_year(start.year, "from")
    check_year(end.year, "to")
    if end < start:
        raise InvalidInput("`to` must not be before `from`", "to")
    step = 1 if interval is Interval.DAY else 7
    count = ((end - start).days + 1) // step
    if count > MAX_POINTS:
        raise InvalidInput(f"at most {MAX_POINTS} points per history", "to")
    return [start + timedelta(days=n * step + step - 1) for n in range(count)]


def end_of(day: date) -> datetime:
    """The first moment after `day`, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), UTC)


async def _key_result(conn: SqlConnection, organization_id: str, key_result_id: str) -> Row | None:
    return await conn.fetchrow(
        "SELECT k.*, p.starts_on, p.ends_on FROM key_results k "
        "JOIN objectives o ON o.id = k.objective_id JOIN periods p ON p.id = o.period_id "
        "WHERE k.id = $1 AND k.organization_id = $2",
        key_result_id,
        organization_id,
    )


async def key_result_history(
    conn: SqlConnection,
    organization_id: str,
    key_result_id: str,
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> list[HistoryPoint] | None:
    """The key result's points over [start, end]; None if it did not exist (as of `as_of`)."""
    days = point_days(start, end, interval)
    row = await _key_result(conn, organization_id, key_result_id)
    if row is None or (as_of is not None and row["created_at"] > iso(as_of)):
        return None
    check_ins = await check_ins_known_at(conn, organization_id, key_result_id, as_of)
    revisions = await conn.fetch(
        "SELECT target, revised_at FROM target_revisions WHERE key_result_id = $1 "
        "AND revised_at <= $2 ORDER BY revised_at",
        key_result_id,
        iso(as_of) if as_of is not None else "9999",
    )
    metric = Metric(row["metric"])
    starts_on, ends_on = date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"])
    points = []
    for day in days:
        moment = iso(end_of(day))
        effective = [c for c in check_ins if c["effective_at"] < moment]
        latest = effective[-1] if effective else None
        in_force = [r["target"] for r in revisions if r["revised_at"] < moment]
        target = in_force[-1] if in_force else row["original_target"]
        value = None if latest is None else float(latest["value"])
        against_target = progress(metric, row["start_value"], target, value)
        against_original = progress(metric, row["start_value"], row["original_target"], value)
        expected = expected_progress(starts_on, ends_on, end_of(day))
        points.append(
            HistoryPoint(
                on=day,
                value=value,
                confidence=None if latest is None else latest["confidence"],
                target=target,
                progress=against_target.value,
                progress_unclamped=against_target.unclamped,
                original_progress=against_original.value,
                expected_progress=expected,
                status=track_status(metric, against_target.value, expected),
            )
        )
    return points


async def objective_progress_history(
    conn: SqlConnection,
    organization_id: str,
    objective_id: str,
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> list[ProgressPoint] | None:
    """The objective's weighted progress over [start, end]; None if it did not exist."""
    objective = await conn.fetchrow(
        "SELECT o.created_at, p.starts_on, p.ends_on FROM objectives o "
        "JOIN periods p ON p.id = o.period_id WHERE o.id = $1 AND o.organization_id = $2",
        objective_id,
        organization_id,
    )
    if objective is None or (as_of is not None and objective["created_at"] > iso(as_of)):
        return None
    key_results = await conn.fetch(
        "SELECT id, weight, created_at FROM key_results WHERE objective_id = $1 ORDER BY id",
        objective_id,
    )
    histories = []
    for key_result in key_results:
        history = await key_result_history(
            conn, organization_id, key_result["id"], start, end, interval, as_of
        )
        if history is not None:
            histories.append((key_result, history))
    starts_on = date.fromisoformat(objective["starts_on"])
    ends_on = date.fromisoformat(objective["ends_on"])
    points = []
    for index, day in enumerate(point_days(start, end, interval)):
        moment = iso(end_of(day))
        weighted = weighted_progress(
            (k["weight"], h[index].progress) for k, h in histories if k["created_at"] < moment
        )
        expected = expected_progress(starts_on, ends_on, end_of(day))
        points.append(ProgressPoint(day, weighted, expected))
    return points
