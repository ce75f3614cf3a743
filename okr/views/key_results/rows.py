"""Key result rows, their state at a moment (track status, staleness), and target
revisions as known at a moment."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from okr.domain.progress import (
    TrackStatus,
    expected_progress,
    is_stale,
    track_status,
    value_age,
)
from okr.domain.values import Metric, ObjectiveStatus
from okr.views.base import (
    iso,
    marks,
    row_by_id,
    rows_by_ids,
    rows_where_in,
)
from okr.views.database import Row, SqlConnection


@dataclass(frozen=True)
class KeyResultState:
    """A key result now: its stored row plus what depends on the moment of asking."""

    row: Row
    expected_progress: float
    status: TrackStatus
    stale: bool


def state_at(row: Row, moment: datetime) -> KeyResultState:
    """Track status and staleness of a key result row (with its period's dates) at `moment`."""
    expected = expected_progress(
        date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"]), moment
    )
    return KeyResultState(
        row=row,
        expected_progress=expected,
        status=track_status(Metric(row["metric"]), row["progress"], expected),
        stale=stale_at(row, row["objective_status"], moment),
    )


def stale_at(row: Row, objective_status: str, moment: datetime) -> bool:
    """Whether a key result row is stale at `moment`, by the effective date of its value."""
    latest = None if row["effective_at"] is None else datetime.fromisoformat(row["effective_at"])
    age = value_age(latest, datetime.fromisoformat(row["created_at"]), moment)
    return is_stale(ObjectiveStatus(objective_status), age)


async def key_result_by_id(
    conn: SqlConnection, organization_id: str, key_result_id: str
) -> Row | None:
    """One key result of the organization, or None."""
    return await row_by_id(conn, "key_results", organization_id, key_result_id)


async def key_results_by_ids(
    conn: SqlConnection, organization_id: str, ids: Sequence[str]
) -> list[Row]:
    """The organization's key results with these ids, in no order."""
    return await rows_by_ids(conn, "key_results", organization_id, ids)


async def key_results_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The key results of these objectives, oldest first."""
    return await rows_where_in(
        conn, "key_results", organization_id, "objective_id", objective_ids, "created_at, id"
    )


async def key_result_ids_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Collection[str]
) -> list[Row]:
    """The `id` of each key result of these objectives; no query when there are none."""
    if not objective_ids:
        return []
    return await conn.fetch(
        "SELECT id FROM key_results WHERE organization_id = $1 "
        f"AND objective_id IN ({marks(len(objective_ids), 2)})",
        organization_id,
        *objective_ids,
    )


async def target_revisions_of_key_results_known_at(
    conn: SqlConnection, organization_id: str, key_result_ids: Sequence[str], as_of: datetime | None
) -> list[Row]:
    """The target revisions of these key results recorded by `as_of` (all when None), oldest
    first."""
    return await conn.fetch(
        "SELECT * FROM target_revisions WHERE organization_id = $1 AND revised_at <= $2 "
        f"AND key_result_id IN ({marks(len(key_result_ids), 3)}) ORDER BY revised_at",
        organization_id,
        "9999" if as_of is None else iso(as_of),
        *key_result_ids,
    )
