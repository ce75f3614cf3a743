"""The objectives view: state, lead, teams, contributors, alignment, initiatives and score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import singledispatchmethod

from okr.domain.objective import Objective
from okr.domain.progress import weighted_progress
from okr.domain.values import InitiativeStatus, ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.views.base import (
    View,
    every_row,
    ident,
    iso,
    marks,
    row_by_id,
    rows_by_ids,
    rows_where_in,
)
from okr.views.database import Row, SqlConnection
from okr.views.directory import (
    current_teams_of_people,
    people_by_name,
    periods_by_ids,
    teams_by_name,
)
from okr.views.key_results import key_results_of_objectives


class Objectives(View):
    name = "objectives"
    version = 1
    reads = ()
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
    contributors = await conn.fetch(
        "SELECT person_id FROM contributors WHERE objective_id = $1", objective_id
    )
    teams_by_contributor: dict[str, set[str]] = {c["person_id"]: set() for c in contributors}
    for membership in await current_teams_of_people(
        conn, organization_id, list(teams_by_contributor)
    ):
        teams_by_contributor[membership["person_id"]].add(membership["team_id"])
    key_results = sorted(
        await key_results_of_objectives(conn, organization_id, [objective_id]),
        key=lambda k: k["id"],
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
    objectives = await objectives_by_ids(conn, organization_id, objective_ids)
    period_ids = sorted({o["period_id"] for o in objectives})
    periods = {p["id"]: p for p in await periods_by_ids(conn, organization_id, period_ids)}
    return [
        {
            "objective_id": o["id"],
            "objective_status": o["status"],
            "starts_on": periods[o["period_id"]]["starts_on"],
            "ends_on": periods[o["period_id"]]["ends_on"],
        }
        for o in objectives
        if o["period_id"] in periods
    ]


async def teams_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The teams owning these objectives (team columns, plus `objective_id`), by name."""
    owned = await conn.fetch(
        "SELECT objective_id, team_id FROM objective_teams "
        f"WHERE objective_id IN ({marks(len(objective_ids), 1)})",
        *objective_ids,
    )
    teams = await teams_by_name(conn, organization_id, sorted({r["team_id"] for r in owned}))
    return _linked(owned, "team_id", teams)


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
    linked = await conn.fetch(
        "SELECT objective_id, person_id FROM contributors "
        f"WHERE objective_id IN ({marks(len(objective_ids), 1)})",
        *objective_ids,
    )
    people = await people_by_name(conn, organization_id, sorted({r["person_id"] for r in linked}))
    return _linked(linked, "person_id", people)


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


def _linked(links: list[Row], key: str, rows: list[Row]) -> list[Row]:
    """Each of `rows` (in their order) with the `objective_id` of every link whose `key` is
    its id."""
    by_row: dict[str, list[str]] = {}
    for link in links:
        by_row.setdefault(link[key], []).append(link["objective_id"])
    return [{"objective_id": o, **row} for row in rows for o in by_row.get(row["id"], [])]


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


MAX_ALIGNMENT_DEPTH = 50


async def objective_descendants(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> list[Row]:
    """Every objective whose chain of `parent_objective_id` leads to `objective_id`, with its
    `depth` below it, top down; each objective once, so a cycle ends the walk."""
    return await conn.fetch(
        "WITH RECURSIVE tree (id, parent_id, depth, path) AS ("
        " SELECT id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        " WHERE id = $1 AND organization_id = $2"
        " UNION ALL"
        " SELECT o.id, o.parent_objective_id, tree.depth + 1, tree.path || ',' || o.id"
        " FROM objectives o JOIN tree ON o.parent_objective_id = tree.id"
        f" WHERE tree.depth < {MAX_ALIGNMENT_DEPTH} AND tree.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, tree.depth FROM tree JOIN objectives o ON o.id = tree.id"
        " WHERE tree.depth > 0 ORDER BY tree.depth, o.created_at, o.id",
        objective_id,
        organization_id,
    )


async def objective_ancestors(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> list[Row]:
    """The objectives up `objective_id`'s chain of `parent_objective_id`, with their `depth`,
    nearest first; each objective once, so a cycle ends the walk."""
    return await conn.fetch(
        "WITH RECURSIVE chain (id, parent_id, depth, path) AS ("
        " SELECT id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        " WHERE id = $1 AND organization_id = $2"
        " UNION ALL"
        " SELECT o.id, o.parent_objective_id, chain.depth + 1, chain.path || ',' || o.id"
        " FROM objectives o JOIN chain ON o.id = chain.parent_id"
        f" WHERE chain.depth < {MAX_ALIGNMENT_DEPTH} AND chain.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, chain.depth FROM chain JOIN objectives o ON o.id = chain.id"
        " WHERE chain.depth > 0 ORDER BY chain.depth",
        objective_id,
        organization_id,
    )


async def collaborations_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> dict[str, Collaboration | None]:
    """Each objective's `collaboration` by its contributors' current teams; None for one
    without contributors, or not of the organization."""
    links = await conn.fetch(
        "SELECT c.objective_id, c.person_id FROM contributors c "
        "JOIN objectives o ON o.id = c.objective_id WHERE o.organization_id = $1 "
        f"AND c.objective_id IN ({marks(len(objective_ids), 2)})",
        organization_id,
        *objective_ids,
    )
    teams_of: dict[str, set[str]] = {link["person_id"]: set() for link in links}
    for membership in await current_teams_of_people(conn, organization_id, sorted(teams_of)):
        teams_of[membership["person_id"]].add(membership["team_id"])
    contributors: dict[str, dict[str, set[str]]] = {i: {} for i in objective_ids}
    for link in links:
        contributors[link["objective_id"]][link["person_id"]] = teams_of[link["person_id"]]
    return {i: collaboration(contributors[i]) for i in objective_ids}


async def ancestors_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """`objective_ancestors` of many objectives at once: each ancestor's row with its
    `depth` and the `descendant_id` it was reached from, nearest first."""
    return await conn.fetch(
        "WITH RECURSIVE chain (descendant_id, id, parent_id, depth, path) AS ("
        " SELECT id, id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        f" WHERE organization_id = $1 AND id IN ({marks(len(objective_ids), 2)})"
        " UNION ALL"
        " SELECT chain.descendant_id, o.id, o.parent_objective_id, chain.depth + 1,"
        " chain.path || ',' || o.id"
        " FROM objectives o JOIN chain ON o.id = chain.parent_id"
        f" WHERE chain.depth < {MAX_ALIGNMENT_DEPTH} AND chain.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, chain.descendant_id, chain.depth FROM chain"
        " JOIN objectives o ON o.id = chain.id"
        " WHERE chain.depth > 0 ORDER BY chain.descendant_id, chain.depth",
        organization_id,
        *objective_ids,
    )


async def every_objective(conn: SqlConnection, organization_id: str) -> list[Row]:
    """All of the organization's objectives, archived ones included, in creation order."""
    return await every_row(conn, "objectives", organization_id, "created_at, id")
