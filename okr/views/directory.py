"""The directory view: people, teams, memberships over time, and periods."""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatchmethod

from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.team import Team
from okr.views.base import View, every_row, iso, marks, row_by_id, rows_by_ids, rows_where_in
from okr.views.database import Row, SqlConnection


class Directory(View):
    name = "directory"
    version = 1
    reads = ()
    tables = {
        "organizations": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "personal_objectives TEXT NOT NULL, created_at TEXT NOT NULL",
        "people": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "email TEXT NOT NULL, active INTEGER NOT NULL, registered_at TEXT NOT NULL",
        "teams": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "created_at TEXT NOT NULL",
        "memberships": "team_id TEXT NOT NULL, person_id TEXT NOT NULL, "
        "organization_id TEXT NOT NULL, joined_at TEXT NOT NULL, left_at TEXT, "
        "PRIMARY KEY (team_id, person_id, joined_at)",
        "periods": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, closed INTEGER NOT NULL",
    }
    indexes = {
        "people_org": "people (organization_id, name)",
        "teams_org": "teams (organization_id, name)",
        "memberships_person": "memberships (person_id)",
        "periods_org": "periods (organization_id, starts_on)",
    }

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: Organization.Created, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}organizations VALUES ($1, $1, $2, $3, $4)",
            str(event.originator_id),
            event.name,
            event.personal_objectives,
            iso(event.timestamp),
        )

    @process.register
    async def _(
        self, event: Organization.PolicyChanged, conn: SqlConnection, position: int
    ) -> None:
        await conn.execute(
            f"UPDATE {self.p}organizations SET personal_objectives = $1 WHERE id = $2",
            event.personal_objectives,
            str(event.originator_id),
        )

    @process.register
    async def _(self, event: Person.Registered, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}people VALUES ($1, $2, $3, $4, 1, $5)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.email,
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Person.Left, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}people SET active = 0 WHERE id = $1", str(event.originator_id)
        )

    @process.register
    async def _(self, event: Person.Rejoined, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}people SET active = 1 WHERE id = $1", str(event.originator_id)
        )

    @process.register
    async def _(self, event: Team.Created, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}teams VALUES ($1, $2, $3, $4)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Team.MemberAdded, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}memberships VALUES ($1, $2, $3, $4, NULL)",
            str(event.originator_id),
            str(event.person_id),
            str(event.organization_id),
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Team.MemberRemoved, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}memberships SET left_at = $1 "
            "WHERE team_id = $2 AND person_id = $3 AND left_at IS NULL",
            iso(event.timestamp),
            str(event.originator_id),
            str(event.person_id),
        )

    @process.register
    async def _(self, event: Period.Created, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}periods VALUES ($1, $2, $3, $4, $5, 0)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.starts_on.isoformat(),
            event.ends_on.isoformat(),
        )

    @process.register
    async def _(self, event: Period.Closed, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}periods SET closed = 1 WHERE id = $1", str(event.originator_id)
        )

    @process.register
    async def _(self, event: Period.Reopened, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}periods SET closed = 0 WHERE id = $1", str(event.originator_id)
        )


async def organization(conn: SqlConnection, organization_id: str) -> Row | None:
    """The organization's own row."""
    return await conn.fetchrow("SELECT * FROM organizations WHERE id = $1", organization_id)


async def every_organization(conn: SqlConnection) -> list[Row]:
    """Every organization in the store, in the order they were created; for operators, who
    stand outside any one of them."""
    return await conn.fetch("SELECT * FROM organizations ORDER BY created_at, id")


async def organization_by_id(conn: SqlConnection, organization_id: str, raw_id: str) -> Row | None:
    """The organization with this id, if it is the caller's own."""
    return await row_by_id(conn, "organizations", organization_id, raw_id)


async def person_by_id(conn: SqlConnection, organization_id: str, person_id: str) -> Row | None:
    """One person of the organization, or None."""
    return await row_by_id(conn, "people", organization_id, person_id)


async def people_by_ids(conn: SqlConnection, organization_id: str, ids: Sequence[str]) -> list[Row]:
    """The organization's people with these ids, in no order."""
    return await rows_by_ids(conn, "people", organization_id, ids)


async def every_person(conn: SqlConnection, organization_id: str) -> list[Row]:
    """Everyone in the organization, by name."""
    return await every_row(conn, "people", organization_id, "name, id")


async def team_by_id(conn: SqlConnection, organization_id: str, team_id: str) -> Row | None:
    """One team of the organization, or None."""
    return await row_by_id(conn, "teams", organization_id, team_id)


async def teams_by_ids(conn: SqlConnection, organization_id: str, ids: Sequence[str]) -> list[Row]:
    """The organization's teams with these ids, in no order."""
    return await rows_by_ids(conn, "teams", organization_id, ids)


async def every_team(conn: SqlConnection, organization_id: str) -> list[Row]:
    """Every team of the organization, by name."""
    return await every_row(conn, "teams", organization_id, "name, id")


async def period_by_id(conn: SqlConnection, organization_id: str, period_id: str) -> Row | None:
    """One period of the organization, or None."""
    return await row_by_id(conn, "periods", organization_id, period_id)


async def periods_by_ids(
    conn: SqlConnection, organization_id: str, ids: Sequence[str]
) -> list[Row]:
    """The organization's periods with these ids, in no order."""
    return await rows_by_ids(conn, "periods", organization_id, ids)


async def every_period(conn: SqlConnection, organization_id: str) -> list[Row]:
    """Every period of the organization, oldest first."""
    return await every_row(conn, "periods", organization_id, "starts_on, name")


async def members_of_teams(
    conn: SqlConnection, organization_id: str, team_ids: Sequence[str]
) -> list[Row]:
    """The people who are or were in these teams (person columns, plus `team_id`, `joined_at`
    and `left_at`), by when they joined."""
    return await conn.fetch(
        "SELECT m.team_id, m.joined_at, m.left_at, p.* FROM memberships m "
        "JOIN people p ON p.id = m.person_id WHERE m.organization_id = $1 "
        f"AND m.team_id IN ({marks(len(team_ids), 2)}) ORDER BY m.joined_at, p.name",
        organization_id,
        *team_ids,
    )


async def teams_of_people(
    conn: SqlConnection, organization_id: str, person_ids: Sequence[str]
) -> list[Row]:
    """The teams these people are or were in (team columns, plus `person_id`, `joined_at` and
    `left_at`), by when they joined."""
    return await conn.fetch(
        "SELECT m.person_id, m.joined_at, m.left_at, t.* FROM memberships m "
        "JOIN teams t ON t.id = m.team_id WHERE m.organization_id = $1 "
        f"AND m.person_id IN ({marks(len(person_ids), 2)}) ORDER BY m.joined_at, t.name",
        organization_id,
        *person_ids,
    )


async def people_by_name(
    conn: SqlConnection, organization_id: str, ids: Sequence[str]
) -> list[Row]:
    """The organization's people with these ids, by name; no query when there are none."""
    if not ids:
        return []
    return await rows_where_in(conn, "people", organization_id, "id", ids, "name")


async def teams_by_name(conn: SqlConnection, organization_id: str, ids: Sequence[str]) -> list[Row]:
    """The organization's teams with these ids, by name; no query when there are none."""
    if not ids:
        return []
    return await rows_where_in(conn, "teams", organization_id, "id", ids, "name")


async def current_teams_of_people(
    conn: SqlConnection, organization_id: str, person_ids: Sequence[str]
) -> list[Row]:
    """The `person_id` and `team_id` of each membership these people hold now."""
    if not person_ids:
        return []
    return await conn.fetch(
        "SELECT person_id, team_id FROM memberships WHERE organization_id = $1 "
        f"AND left_at IS NULL AND person_id IN ({marks(len(person_ids), 2)})",
        organization_id,
        *person_ids,
    )


async def period_dates(conn: SqlConnection, period_id: str, prefix: str = "") -> Row | None:
    """The period's `starts_on` and `ends_on`, for a view that reads this one while it is
    applied; `prefix` names a rebuild's tables."""
    return await conn.fetchrow(
        f"SELECT starts_on, ends_on FROM {prefix}periods WHERE id = $1", period_id
    )


async def person_is_active(conn: SqlConnection, person_id: str, prefix: str = "") -> bool:
    """Whether the person is active now, for a view that reads this one while it is applied;
    `prefix` names a rebuild's tables."""
    row = await conn.fetchrow(f"SELECT active FROM {prefix}people WHERE id = $1", person_id)
    return row is not None and row["active"] == 1
