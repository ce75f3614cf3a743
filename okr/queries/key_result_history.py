"""How a key result, or an objective, moved over a time range, as known at any time.

Points fall at the end of each whole DAY or WEEK counted from `from`; each carries the latest
check-in in effect by then (carried forward), the target in force, progress against it and
against the original target, the expected progress and the confidence. With `as_of`, only
what had been recorded by then counts: later check-ins, corrections and revisions are unseen.
Many key results or objectives are answered at once in a fixed number of statements.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from okr.views.check_in_history import check_ins_of_key_results_known_at
from okr.views.database import Row, SqlConnection
from okr.views.key_results import (
    key_results_by_ids,
    key_results_of_objectives,
    target_revisions_of_key_results_known_at,
)
from okr.views.objectives import schedules_of_objectives

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


def _by_key_result(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["key_result_id"], []).append(row)
    return grouped


async def _schedules(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> dict[str, Row]:
    """Each objective's schedule (see `schedules_of_objectives`), by objective id."""
    found = await schedules_of_objectives(conn, organization_id, objective_ids)
    return {s["objective_id"]: s for s in found}


def _points_of(
    row: Row, schedule: Row, check_ins: list[Row], revisions: list[Row], days: list[date]
) -> list[HistoryPoint]:
    """The points of the key result `row` from its check-ins and target revisions (oldest
    first), its period's dates in `schedule`."""
    metric = Metric(row["metric"])
    starts_on = date.fromisoformat(schedule["starts_on"])
    ends_on = date.fromisoformat(schedule["ends_on"])
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


async def _histories_of(
    conn: SqlConnection,
    organization_id: str,
    key_results: list[Row],
    schedules: dict[str, Row],
    days: list[date],
    as_of: datetime | None,
) -> dict[str, list[HistoryPoint]]:
    """The points of each of `key_results` whose objective `schedules` holds, by id."""
    known = [k for k in key_results if k["objective_id"] in schedules]
    if not known:
        return {}
    ids = [k["id"] for k in known]
    check_ins = _by_key_result(
        await check_ins_of_key_results_known_at(conn, organization_id, ids, as_of)
    )
    revisions = _by_key_result(
        await target_revisions_of_key_results_known_at(conn, organization_id, ids, as_of)
    )
    return {
        k["id"]: _points_of(
            k,
            schedules[k["objective_id"]],
            check_ins.get(k["id"], []),
            revisions.get(k["id"], []),
            days,
        )
        for k in known
    }


async def key_result_histories(
    conn: SqlConnection,
    organization_id: str,
    key_result_ids: Sequence[str],
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> dict[str, list[HistoryPoint] | None]:
    """The points of each key result over [start, end], by id; None for one that did not exist
    (as of `as_of`). Four statements at most, whatever their number."""
    rows = await key_results_by_ids(conn, organization_id, key_result_ids)
    return await histories_of_key_results(
        conn, organization_id, key_result_ids, rows, start, end, interval, as_of
    )


async def histories_of_key_results(
    conn: SqlConnection,
    organization_id: str,
    key_result_ids: Sequence[str],
    rows: Sequence[Row | None],
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> dict[str, list[HistoryPoint] | None]:
    """`key_result_histories` of key results whose view rows (None where missing) the caller
    has already read. Three statements at most."""
    days = point_days(start, end, interval)
    known = [r for r in rows if r is not None and (as_of is None or r["created_at"] <= iso(as_of))]
    schedules = await _schedules(conn, organization_id, sorted({r["objective_id"] for r in known}))
    found = await _histories_of(conn, organization_id, known, schedules, days, as_of)
    return {i: found.get(i) for i in key_result_ids}


async def objective_progress_histories(
    conn: SqlConnection,
    organization_id: str,
    objective_ids: Sequence[str],
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> dict[str, list[ProgressPoint] | None]:
    """Each objective's weighted progress over [start, end], by id; None for one that did not
    exist (as of `as_of`). Four statements at most, whatever their number."""
    days = point_days(start, end, interval)
    schedules = {
        i: s
        for i, s in (await _schedules(conn, organization_id, objective_ids)).items()
        if as_of is None or s["created_at"] <= iso(as_of)
    }
    key_results = (
        await key_results_of_objectives(conn, organization_id, list(schedules)) if schedules else []
    )
    counted = sorted(
        (k for k in key_results if as_of is None or k["created_at"] <= iso(as_of)),
        key=lambda k: k["id"],
    )
    histories = await _histories_of(conn, organization_id, counted, schedules, days, as_of)
    owned: dict[str, list[tuple[Row, list[HistoryPoint]]]] = {i: [] for i in schedules}
    for k in counted:
        owned[k["objective_id"]].append((k, histories[k["id"]]))
    found: dict[str, list[ProgressPoint] | None] = dict.fromkeys(objective_ids)
    for objective_id, schedule in schedules.items():
        starts_on = date.fromisoformat(schedule["starts_on"])
        ends_on = date.fromisoformat(schedule["ends_on"])
        own = owned[objective_id]
        points = []
        for index, day in enumerate(days):
            moment = iso(end_of(day))
            weighted = weighted_progress(
                (k["weight"], h[index].progress) for k, h in own if k["created_at"] < moment
            )
            points.append(
                ProgressPoint(day, weighted, expected_progress(starts_on, ends_on, end_of(day)))
            )
        found[objective_id] = points
    return found


async def key_result_history(
    conn: SqlConnection,
    organization_id: str,
    key_result_id: str,
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> list[HistoryPoint] | None:
    """One key result's points (see `key_result_histories`)."""
    found = await key_result_histories(
        conn, organization_id, [key_result_id], start, end, interval, as_of
    )
    return found[key_result_id]


async def objective_progress_history(
    conn: SqlConnection,
    organization_id: str,
    objective_id: str,
    start: date,
    end: date,
    interval: Interval,
    as_of: datetime | None = None,
) -> list[ProgressPoint] | None:
    """One objective's weighted progress (see `objective_progress_histories`)."""
    found = await objective_progress_histories(
        conn, organization_id, [objective_id], start, end, interval, as_of
    )
    return found[objective_id]
