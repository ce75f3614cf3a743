"""A key result now: its row from the key results view, with its period's dates from the
objectives and directory views, judged at a moment."""

from __future__ import annotations

from datetime import datetime

from okr.views.database import SqlConnection
from okr.views.key_results import KeyResultState, key_result_by_id, state_at
from okr.views.objectives import schedules_of_objectives


async def key_result_state(
    conn: SqlConnection, organization_id: str, key_result_id: str, now: datetime
) -> KeyResultState | None:
    """The key result with its track status against expected progress, and staleness."""
    row = await key_result_by_id(conn, organization_id, key_result_id)
    if row is None:
        return None
    schedules = await schedules_of_objectives(conn, organization_id, [row["objective_id"]])
    return None if not schedules else state_at({**row, **schedules[0]}, now)
