"""The bitemporal check-in history: each value with when it applies and when it was known.

A check-in is known from its `recorded_at` until a correction supersedes it (`superseded_at`);
asking "as known at T" keeps rows with recorded_at <= T < superseded_at.
"""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod

from okr.domain.key_result import KeyResult
from okr.views.base import View, ident, iso, row_by_id
from okr.views.database import Row, SqlConnection


class CheckInHistory(View):
    name = "check_in_history"
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


async def check_ins_known_at(
    conn: SqlConnection, organization_id: str, key_result_id: str, as_of: datetime | None
) -> list[Row]:
    """The key result's check-ins as they were known at `as_of` (now when None), by effect."""
    known = "9999" if as_of is None else iso(as_of)
    return await conn.fetch(
        "SELECT * FROM check_ins WHERE organization_id = $1 AND key_result_id = $2 "
        "AND recorded_at <= $3 AND (superseded_at IS NULL OR superseded_at > $3) "
        "ORDER BY effective_at, recorded_at",
        organization_id,
        key_result_id,
        known,
    )


async def check_in_by_id(conn: SqlConnection, organization_id: str, check_in_id: str) -> Row | None:
    """One check-in of the organization, superseded or not, or None."""
    return await row_by_id(conn, "check_ins", organization_id, check_in_id)


async def every_check_in(
    conn: SqlConnection, organization_id: str, key_result_id: str
) -> list[Row]:
    """All of the key result's check-ins, superseded ones included, in the order recorded."""
    return await conn.fetch(
        "SELECT * FROM check_ins WHERE organization_id = $1 AND key_result_id = $2 "
        "ORDER BY recorded_at",
        organization_id,
        key_result_id,
    )
