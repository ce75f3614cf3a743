"""How a period's key results stand now: counts by track status, staleness, progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from okr.domain.progress import TrackStatus, expected_progress, track_status
from okr.domain.values import Metric
from okr.views.database import SqlConnection
from okr.views.key_results import stale_at


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
    """The period's live (not archived) objectives and their key results, as of `now`."""
    period = await conn.fetchrow(
        "SELECT starts_on, ends_on FROM periods WHERE id = $1 AND organization_id = $2",
        period_id,
        organization_id,
    )
    if period is None:
        return None
    expected = expected_progress(
        date.fromisoformat(period["starts_on"]), date.fromisoformat(period["ends_on"]), now
    )
    objectives = await conn.fetch(
        "SELECT id, status FROM objectives WHERE organization_id = $1 AND period_id = $2 "
        "AND status <> 'ARCHIVED'",
        organization_id,
        period_id,
    )
    rows = await conn.fetch(
        "SELECT k.metric, k.progress, k.effective_at, k.created_at, o.status "
        "FROM key_results k JOIN objectives o ON o.id = k.objective_id "
        "WHERE o.organization_id = $1 AND o.period_id = $2 AND o.status <> 'ARCHIVED'",
        organization_id,
        period_id,
    )
    statuses = Counter(track_status(Metric(r["metric"]), r["progress"], expected) for r in rows)
    stale = sum(1 for r in rows if stale_at(r, r["status"], now))
    return PeriodHealth(
        objectives=len(objectives),
        key_results=len(rows),
        on_track=statuses[TrackStatus.ON_TRACK],
        at_risk=statuses[TrackStatus.AT_RISK],
        off_track=statuses[TrackStatus.OFF_TRACK],
        stale=stale,
        average_progress=sum(r["progress"] for r in rows) / len(rows) if rows else 0.0,
        expected_progress=expected,
    )
