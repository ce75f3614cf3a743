"""The bitemporal check-in history: each value with when it applies and when it was known.

A check-in is known from its `recorded_at` until a correction supersedes it (`superseded_at`);
asking "as known at T" keeps rows with recorded_at <= T < superseded_at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import singledispatchmethod

from okr.domain.key_result import KeyResult
from okr.views.base import View, ident, iso, marks, row_by_id, rows_where_in
from okr.views.database import Row, SqlConnection


class CheckInHistory(View):
    name = "check_in_history"
    version = 1
    reads = ()
    tables = {
        "check_ins": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, "
        "key_result_id TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, "
        "confidence INTEGER NOT NULL, note TEXT NOT NULL, effective_at TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, author TEXT NOT NULL, corrects_id TEXT, "
        "reason TEXT NOT NULL, superseded_at TEXT, superseded_by TEXT, position BIGINT NOT NULL",
    }
    indexes = {"check_ins_key_result": "check_ins (key_result_id, effective_at)"}

    async def insert(
        self,
        conn: SqlConnection,
        event: KeyResult.CheckInRecorded | KeyResult.CheckInCorrected,
        position: int,
        corrects_id: str | None,
        reason: str,
    ) -> None:
        await conn.append(
            f"{self.p}check_ins",
            [
                (
                    str(event.check_in_id),
                    str(event.organization_id),
                    str(event.originator_id),
                    event.value,
                    event.confidence,
                    event.note,
                    iso(event.effective_at),
                    iso(event.timestamp),
                    event.actor,
                    corrects_id,
                    reason,
                    None,
                    None,
                    position,
                )
            ],
        )

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: KeyResult.CheckInRecorded, conn: SqlConnection, position: int) -> None:
        await self.insert(conn, event, position, None, "")

    @process.register
    async def _(
        self, event: KeyResult.CheckInCorrected, conn: SqlConnection, position: int
    ) -> None:
        await self.insert(conn, event, position, ident(event.corrects_id), event.reason)
        await conn.execute(
            f"UPDATE {self.p}check_ins SET superseded_at = $1, superseded_by = $2 WHERE id = $3",
            iso(event.timestamp),
            str(event.check_in_id),
            str(event.corrects_id),
        )


async def check_in_by_id(conn: SqlConnection, organization_id: str, check_in_id: str) -> Row | None:
    """One check-in of the organization, superseded or not, or None."""
    return await row_by_id(conn, "check_ins", organization_id, check_in_id)


async def check_in_in_force(
    conn: SqlConnection, key_result_id: str, position: int, prefix: str = ""
) -> Row | None:
    """The `id`, `value`, `confidence` and `effective_at` of the key result's check-in in
    force once the event at log `position` was applied; `prefix` names a rebuild's tables."""
    return await conn.fetchrow(
        f"SELECT c.id, c.value, c.confidence, c.effective_at FROM {prefix}check_ins c "
        f"LEFT JOIN {prefix}check_ins s ON s.id = c.superseded_by "
        "WHERE c.key_result_id = $1 AND c.position <= $2 "
        "AND (s.position IS NULL OR s.position > $2) "
        "ORDER BY c.effective_at DESC, c.recorded_at DESC LIMIT 1",
        key_result_id,
        position,
    )


async def check_ins_of_key_results_known_at(
    conn: SqlConnection, organization_id: str, key_result_ids: Sequence[str], as_of: datetime | None
) -> list[Row]:
    """The check-ins of these key results as they were known at `as_of` (now when None),
    by effect."""
    return await conn.fetch(
        "SELECT * FROM check_ins WHERE organization_id = $1 "
        "AND recorded_at <= $2 AND (superseded_at IS NULL OR superseded_at > $2) "
        f"AND key_result_id IN ({marks(len(key_result_ids), 3)}) "
        "ORDER BY effective_at, recorded_at",
        organization_id,
        "9999" if as_of is None else iso(as_of),
        *key_result_ids,
    )


async def every_check_in_of_key_results(
    conn: SqlConnection, organization_id: str, key_result_ids: Sequence[str]
) -> list[Row]:
    """All of these key results' check-ins, superseded ones included, in the order recorded."""
    return await rows_where_in(
        conn, "check_ins", organization_id, "key_result_id", key_result_ids, "recorded_at"
    )
