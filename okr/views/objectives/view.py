"""The objectives view's tables and event handlers: state, lead, teams, contributors,
alignment, initiatives and score, and the dates of the objective's period (read from the
directory as the objective is created; a period's dates never change)."""

from __future__ import annotations

from functools import singledispatchmethod

from okr.domain.objective import Objective
from okr.domain.values import InitiativeStatus
from okr.views.base import (
    View,
    ident,
    iso,
)
from okr.views.database import SqlConnection
from okr.views.directory import Directory, period_dates


class Objectives(View):
    name = "objectives"
    version = 2
    reads = (Directory,)
    tables = {
        "objectives": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, title TEXT NOT NULL, "
        "description TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, "
        "period_id TEXT NOT NULL, lead_id TEXT NOT NULL, status TEXT NOT NULL, "
        "archived_from TEXT, "
        "score DOUBLE PRECISION, retrospective TEXT NOT NULL, "
        "aligned_objective_id TEXT, aligned_key_result_id TEXT, parent_objective_id TEXT, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL, "
        "starts_on TEXT NOT NULL, ends_on TEXT NOT NULL",
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
        period = await period_dates(conn, str(event.period_id), self.source(Directory).p)
        if period is None:
            raise LookupError(f"objective {event.originator_id}: no period {event.period_id}")
        await conn.execute(
            f"INSERT INTO {self.p}objectives VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
            "'DRAFT', NULL, NULL, '', NULL, NULL, NULL, $9, $9, $10, $11, $12)",
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
            period["starts_on"],
            period["ends_on"],
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
