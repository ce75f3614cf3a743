"""The objectives view: state, lead, teams, contributors, alignment, initiatives and score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import singledispatchmethod

from okr.domain.objective import Objective
from okr.domain.progress import weighted_progress
from okr.domain.values import InitiativeStatus, ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.views.base import (
    View,
    ident,
    iso,
    marks,
    row_by_id,
    rows_by_ids,
    rows_where_in,
)
from okr.views.database import Row, SqlConnection


class Objectives(View):
    name = "objectives"
    tables = {
        "objectives": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, title TEXT NOT NULL, "
        "description TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, "
        "period_id TEXT NOT NULL, lead_id TEXT NOT NULL, status TEXT NOT NULL, "
        "archived_from TEXT, "
        "score DOUBLE PRECISION, retrospective TEXT NOT NULL, "
        "aligned_objective_id TEXT, aligned_key_result_id TEXT, parent_objective_id TEXT, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL",
        "objective_teams": "objective_id TEXT NOT NULL, team_id TEXT NOT NULL, "
        "PRIMARY KEY (objective_id, team_id)",
        "contributors": "objective_id TEXT NOT NULL, person_id TEXT NOT NULL, "
        "PRIMARY KEY (objective_id, person_id)",
        "objective_key_results": "key_result_id TEXT PRIMARY KEY, objective_id TEXT NOT NULL",
        "initiatives": "id TEXT PRIMARY KEY, objective_id TEXT NOT NULL, "
        "organization_id TEXT NOT NULL, title TEXT NOT NULL, owner_id TEXT NOT NULL, "
        "status TEXT NOT NULL, updated_at TEXT NOT NULL",
    }
    indexes = {
        "objectives_org_period": "objectives (organization_id, period_id)",
        "objectives_parent": "objectives (parent_objective_id)",
        "objectives_aligned_key_result": "objectives (aligned_key_result_id)",
        "objectives_lead": "objectives (lead_id)",
        "objective_teams_team": "objective_teams (team_id)",
        "initiatives_objective": "initiatives (objective_id)",
    }

    async def touch(
        self, conn: SqlConnection, event: Objective.Event, sets: str = "", *params: object
    ) -> None:
        """Update the objective row: `sets` (using $3...), plus its version and time."""
        extra = f", {sets}" if sets else ""
        await conn.execute(
            f"UPDATE {self.p}objectives SET version = $1, updated_at = $2{extra} "
            f"WHERE id = ${3 + len(params)}",
            event.originator_version,
            iso(event.timestamp),
            *params,
            str(event.originator_id),
        )

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: Objective.Created, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}objectives VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
            "'DRAFT', NULL, NULL, '', NULL, NULL, NULL, $9, $9, $10)",
            str(event.originator_id),
            str(event.organization_id),
            event.title,
            event.description,
            event.kind,
            event.level,
            str(event.period_id),
            str(event.lead_id),
            iso(event.timestamp),
            event.originator_version,
        )
        await conn.executemany(
            f"INSERT INTO {self.p}objective_teams VALUES ($1, $2)",
            [(str(event.originator_id), str(team_id)) for team_id in event.team_ids],
        )

    @process.register
    async def _(self, event: Objective.LeadChanged, conn: SqlConnection, position: int) -> None:
        await self.touch(conn, event, "lead_id = $3", str(event.lead_id))

    @process.register
    async def _(
        self, event: Objective.ContributorAdded, conn: SqlConnection, position: int
    ) -> None:
        await self.touch(conn, event)
        await conn.execute(
            f"INSERT INTO {self.p}contributors VALUES ($1, $2)",
            str(event.originator_id),
            str(event.person_id),
        )

    @process.register
    async def _(
        self, event: Objective.ContributorRemoved, conn: SqlConnection, position: int
    ) -> None:
        await self.touch(conn, event)
        await conn.execute(
            f"DELETE FROM {self.p}contributors WHERE objective_id = $1 AND person_id = $2",
            str(event.originator_id),
            str(event.person_id),
        )

    @process.register
    async def _(self, event: Objective.Aligned, conn: SqlConnection, position: int) -> None:
        parent = ident(event.parent_objective_id)
        if event.parent_key_result_id is not None:
            owner = await conn.fetchrow(
                f"SELECT objective_id FROM {self.p}objective_key_results WHERE key_result_id = $1",
                str(event.parent_key_result_id),
            )
            parent = None if owner is None else owner["objective_id"]
        await self.touch(
            conn,
            event,
            "aligned_objective_id = $3, aligned_key_result_id = $4, parent_objective_id = $5",
            ident(event.parent_objective_id),
            ident(event.parent_key_result_id),
            parent,
        )

    @process.register
    async def _(self, event: Objective.Unaligned, conn: SqlConnection, position: int) -> None:
        await self.touch(
            conn,
            event,
            "aligned_objective_id = NULL, aligned_key_result_id = NULL, parent_objective_id = NULL",
        )

    @process.register
    async def _(self, event: Objective.KeyResultAdded, conn: SqlConnection, position: int) -> None:
        await self.touch(conn, event)
        await conn.execute(
            f"INSERT INTO {self.p}objective_key_results VALUES ($1, $2)",
            str(event.key_result_id),
            str(event.originator_id),
        )

    @process.register
    async def _(self, event: Objective.InitiativeAdded, conn: SqlConnection, position: int) -> None:
        await self.touch(conn, event)
        await conn.execute(
            f"INSERT INTO {self.p}initiatives VALUES ($1, $2, $3, $4, $5, $6, $7)",
            str(event.initiative_id),
            str(event.originator_id),
            str(event.organization_id),
            event.title,
            str(event.owner_id),
            InitiativeStatus.PLANNED.value,
            iso(event.timestamp),
        )

    @process.register
    async def _(
        self, event: Objective.InitiativeStatusSet, conn: SqlConnection, position: int
    ) -> None:
        await self.touch(conn, event)
        await conn.execute(
            f"UPDATE {self.p}initiatives SET status = $1, updated_at = $2 WHERE id = $3",
            event.status,
            iso(event.timestamp),
            str(event.initiative_id),
        )

    @process.register
    async def _(self, event: Objective.Activated, conn: SqlConnection, position: int) -> None:
        await self.touch(conn, event, "status = 'ACTIVE'")

    @process.register
    async def _(self, event: Objective.Closed, conn: SqlConnection, position: int) -> None:
        await self.touch(
            conn,
            event,
            "status = 'CLOSED', score = $3, retrospective = $4",
            event.score,
            event.retrospective,
        )

    @process.register
    async def _(self, event: Objective.Reopened, conn: SqlConnection, position: int) -> None:
        previous = await conn.fetchrow(
            f"SELECT archived_from FROM {self.p}objectives WHERE id = $1", str(event.originator_id)
        )
        status = "DRAFT" if previous and previous["archived_from"] == "DRAFT" else "ACTIVE"
        await self.touch(conn, event, "status = $3, score = NULL, archived_from = NULL", status)

    @process.register
    async def _(self, event: Objective.Archived, conn: SqlConnection, position: int) -> None:
        await self.touch(conn, event, "archived_from = status, status = 'ARCHIVED'")


class Collaboration(StrEnum):
    FUNCTIONAL = "FUNCTIONAL"
    CROSS_FUNCTIONAL = "CROSS_FUNCTIONAL"


@dataclass(frozen=True)
class ObjectiveSummary:
    """An objective now: its row, teams, contributors and progress rolled up by weight."""

    row: Row
    team_ids: list[str]
    contributor_ids: list[str]
    progress: float
    collaboration: Collaboration | None


def collaboration(teams_by_contributor: dict[str, set[str]]) -> Collaboration | None:
    """FUNCTIONAL when one team holds every contributor, else CROSS_FUNCTIONAL."""
    if not teams_by_contributor:
        return None
    shared = set.intersection(*teams_by_contributor.values())
    return Collaboration.FUNCTIONAL if shared else Collaboration.CROSS_FUNCTIONAL


async def objective_summary(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> ObjectiveSummary | None:
    row = await conn.fetchrow(
        "SELECT * FROM objectives WHERE id = $1 AND organization_id = $2",
        objective_id,
        organization_id,
    )
    if row is None:
        return None
    teams = await conn.fetch(
        "SELECT team_id FROM objective_teams WHERE objective_id = $1 ORDER BY team_id",
        objective_id,
    )
    memberships = await conn.fetch(
        "SELECT c.person_id, m.team_id FROM contributors c LEFT JOIN memberships m "
        "ON m.person_id = c.person_id AND m.left_at IS NULL WHERE c.objective_id = $1",
        objective_id,
    )
    teams_by_contributor: dict[str, set[str]] = {}
    for membership in memberships:
        joined = teams_by_contributor.setdefault(membership["person_id"], set())
        if membership["team_id"] is not None:
            joined.add(membership["team_id"])
    key_results = await conn.fetch(
        "SELECT weight, progress FROM key_results WHERE objective_id = $1 ORDER BY id",
        objective_id,
    )
    return ObjectiveSummary(
        row=row,
        team_ids=[t["team_id"] for t in teams],
        contributor_ids=sorted(teams_by_contributor),
        progress=weighted_progress((k["weight"], k["progress"]) for k in key_results),
        collaboration=collaboration(teams_by_contributor),
    )


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


async def schedules_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """Each objective's status and its period's dates: `objective_id`, `objective_status`,
    `starts_on` and `ends_on`."""
    return await conn.fetch(
        "SELECT o.id AS objective_id, o.status AS objective_status, p.starts_on, p.ends_on "
        "FROM objectives o JOIN periods p ON p.id = o.period_id "
        f"WHERE o.organization_id = $1 AND o.id IN ({marks(len(objective_ids), 2)})",
        organization_id,
        *objective_ids,
    )


async def teams_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The teams owning these objectives (team columns, plus `objective_id`), by name."""
    return await conn.fetch(
        "SELECT ot.objective_id, t.* FROM objective_teams ot JOIN teams t ON t.id = ot.team_id "
        f"WHERE t.organization_id = $1 AND ot.objective_id IN ({marks(len(objective_ids), 2)}) "
        "ORDER BY t.name",
        organization_id,
        *objective_ids,
    )


async def objectives_of_team(conn: SqlConnection, organization_id: str, team_id: str) -> list[Row]:
    """The `objective_id` of each objective the team owns."""
    return await conn.fetch(
        "SELECT ot.objective_id FROM objective_teams ot JOIN objectives o "
        "ON o.id = ot.objective_id WHERE ot.team_id = $1 AND o.organization_id = $2",
        team_id,
        organization_id,
    )


async def contributors_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The people contributing to these objectives (person columns, plus `objective_id`),
    by name."""
    return await conn.fetch(
        "SELECT c.objective_id, p.* FROM contributors c JOIN people p ON p.id = c.person_id "
        f"WHERE p.organization_id = $1 AND c.objective_id IN ({marks(len(objective_ids), 2)}) "
        "ORDER BY p.name",
        organization_id,
        *objective_ids,
    )


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
