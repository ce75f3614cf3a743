"""How a period's key results stand now: counts by track status, staleness, progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from okr.domain.progress import TrackStatus, expected_progress, track_status
from okr.domain.values import Metric, ObjectiveStatus
from okr.views.database import SqlConnection
from okr.views.directory import period_by_id
from okr.views.key_results import key_results_of_objectives, stale_at
from okr.views.objectives import objectives_of_period


@dataclass(frozen=True)
class PeriodHealth:
    objectives: int
    key_results: int
    on_track: int
    at_risk: int
    off_track: int
    stale: int
    average_progress: float
    expected_progress: float


async def period_health(
    conn: SqlConnection, organization_id: str, period_id: str, now: datetime
) -> PeriodHealth | None:
    """The period's live (not archived) objectives and their key results, as of `now`, in
    three statements."""
    period = await period_by_id(conn, organization_id, period_id)
    if period is None:
        return None
    expected = expected_progress(
        date.fromisoformat(period["starts_on"]), date.fromisoformat(period["ends_on"]), now
    )
    live = {
        o["id"]: o["status"]
        for o in await objectives_of_period(conn, organization_id, period_id)
        if o["status"] != ObjectiveStatus.ARCHIVED
    }
    rows = await key_results_of_objectives(conn, organization_id, list(live)) if live else []
    statuses = Counter(track_status(Metric(r["metric"]), r["progress"], expected) for r in rows)
    stale = sum(1 for r in rows if stale_at(r, live[r["objective_id"]], now))
    return PeriodHealth(
        objectives=len(live),
        key_results=len(rows),
        on_track=statuses[TrackStatus.ON_TRACK],
        at_risk=statuses[TrackStatus.AT_RISK],
        off_track=statuses[TrackStatus.OFF_TRACK],
        stale=stale,
        average_progress=sum(r["progress"] for r in rows) / len(rows) if rows else 0.0,
        expected_progress=expected,
    )
