"""The KPI view: standing metrics and their check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatchmethod

from okr.domain.kpi import Kpi
from okr.views.base import View, ident, iso, row_by_id, rows_by_ids
from okr.views.database import Row, SqlConnection


class Kpis(View):
    name = "kpis"
    version = 1
    reads = ()
    tables = {
        "kpis": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "unit TEXT NOT NULL, target DOUBLE PRECISION, person_id TEXT, team_id TEXT, "
        "current_value DOUBLE PRECISION, created_at TEXT NOT NULL",
        "kpi_check_ins": "kpi_id TEXT NOT NULL, organization_id TEXT NOT NULL, "
        "value DOUBLE PRECISION NOT NULL, effective_at TEXT NOT NULL, note TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, author TEXT NOT NULL, position BIGINT PRIMARY KEY",
    }
    indexes = {"kpi_check_ins_kpi": "kpi_check_ins (kpi_id, effective_at)"}

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: Kpi.Created, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}kpis VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.unit,
            event.target,
            ident(event.person_id),
            ident(event.team_id),
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Kpi.CheckInRecorded, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}kpi_check_ins VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            str(event.originator_id),
            str(event.organization_id),
            event.value,
            iso(event.effective_at),
            event.note,
            iso(event.timestamp),
            event.actor,
            position,
        )
        await conn.execute(
            f"UPDATE {self.p}kpis SET current_value = (SELECT value FROM {self.p}kpi_check_ins "
            "WHERE kpi_id = $1 ORDER BY effective_at DESC, position DESC LIMIT 1) WHERE id = $1",
            str(event.originator_id),
        )


async def kpi_by_id(conn: SqlConnection, organization_id: str, kpi_id: str) -> Row | None:
    """One KPI of the organization, or None."""
    return await row_by_id(conn, "kpis", organization_id, kpi_id)


async def kpis_by_ids(conn: SqlConnection, organization_id: str, ids: Sequence[str]) -> list[Row]:
    """The organization's KPIs with these ids, in no order."""
    return await rows_by_ids(conn, "kpis", organization_id, ids)
