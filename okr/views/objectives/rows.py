"""Objective and initiative rows: by id, by page, by period, team or parent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from okr.domain.values import ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.views.base import (
    every_row,
    iso,
    row_by_id,
    rows_by_ids,
    rows_where_in,
)
from okr.views.database import Row, SqlConnection


async def objective_by_id(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> Row | None:
    """One objective of the organization, or None."""
    return await row_by_id(conn, "objectives", organization_id, objective_id)


async def objectives_by_ids(
    conn: SqlConnection, organization_id: str, ids: Sequence[str]
) -> list[Row]:
    """The organization's objectives with these ids, in no order."""
    return await rows_by_ids(conn, "objectives", organization_id, ids)


@dataclass(frozen=True)
class ObjectiveCriteria:
    """Which objectives to list; every field set narrows the result."""

    period_id: str | None = None
    lead_id: str | None = None
    team_id: str | None = None
    status: ObjectiveStatus | None = None
    level: ObjectiveLevel | None = None
    kind: ObjectiveKind | None = None


async def objectives_page(
    conn: SqlConnection,
    organization_id: str,
    where: ObjectiveCriteria,
    after: Sequence[str] | None,
    limit: int,
) -> list[Row]:
    """Up to `limit` of the organization's objectives matching `where`, oldest first, after
    the (created_at, id) pair `after` when given."""
    clauses = ["organization_id = $1"]
    params: list[object] = [organization_id]

    def add(clause: str, value: object) -> None:
        params.append(value)
        clauses.append(clause.replace("?", f"${len(params)}"))

    if where.period_id is not None:
        add("period_id = ?", where.period_id)
    if where.lead_id is not None:
        add("lead_id = ?", where.lead_id)
    if where.team_id is not None:
        add("id IN (SELECT objective_id FROM objective_teams WHERE team_id = ?)", where.team_id)
    for column, value in (("status", where.status), ("level", where.level), ("kind", where.kind)):
        if value is not None:
            add(f"{column} = ?", value.value)
    if after is not None:
        params.extend(after)
        clauses.append(f"(created_at, id) > (${len(params) - 1}, ${len(params)})")
    params.append(limit)
    return await conn.fetch(
        f"SELECT * FROM objectives WHERE {' AND '.join(clauses)} "
        f"ORDER BY created_at, id LIMIT ${len(params)}",
        *params,
    )


async def children_of_objectives(
    conn: SqlConnection, organization_id: str, parent_ids: Sequence[str]
) -> list[Row]:
    """The objectives aligned under these parents, oldest first."""
    return await rows_where_in(
        conn, "objectives", organization_id, "parent_objective_id", parent_ids, "created_at, id"
    )


async def objectives_of_period(
    conn: SqlConnection, organization_id: str, period_id: str
) -> list[Row]:
    """The period's objectives, archived ones included, oldest first."""
    return await rows_where_in(
        conn, "objectives", organization_id, "period_id", [period_id], "created_at, id"
    )


async def objective_ids_created_by(
    conn: SqlConnection, organization_id: str, at: datetime
) -> list[str]:
    """The id of each objective created at or before `at`, oldest first."""
    rows = await conn.fetch(
        "SELECT id FROM objectives WHERE organization_id = $1 AND created_at <= $2 "
        "ORDER BY created_at, id",
        organization_id,
        iso(at),
    )
    return [r["id"] for r in rows]


async def every_objective(conn: SqlConnection, organization_id: str) -> list[Row]:
    """All of the organization's objectives, archived ones included, in creation order."""
    return await every_row(conn, "objectives", organization_id, "created_at, id")


async def objectives_of_team(conn: SqlConnection, organization_id: str, team_id: str) -> list[Row]:
    """The `objective_id` of each objective the team owns."""
    return await conn.fetch(
        "SELECT ot.objective_id FROM objective_teams ot JOIN objectives o "
        "ON o.id = ot.objective_id WHERE ot.team_id = $1 AND o.organization_id = $2",
        team_id,
        organization_id,
    )


async def schedules_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """Each objective's status, creation time and its period's dates: `objective_id`,
    `objective_status`, `created_at`, `starts_on` and `ends_on`; no query when none asked."""
    if not objective_ids:
        return []
    return [
        {
            "objective_id": o["id"],
            "objective_status": o["status"],
            "created_at": o["created_at"],
            "starts_on": o["starts_on"],
            "ends_on": o["ends_on"],
        }
        for o in await objectives_by_ids(conn, organization_id, objective_ids)
    ]


async def initiative_by_id(
    conn: SqlConnection, organization_id: str, initiative_id: str
) -> Row | None:
    """One initiative of the organization, or None."""
    return await row_by_id(conn, "initiatives", organization_id, initiative_id)


async def initiatives_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The initiatives under these objectives, least recently updated first."""
    return await rows_where_in(
        conn, "initiatives", organization_id, "objective_id", objective_ids, "updated_at, id"
    )
