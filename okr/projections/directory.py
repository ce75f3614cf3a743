"""The directory view: people, teams, memberships over time, and periods."""

from __future__ import annotations

from functools import singledispatchmethod

from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.team import Team
from okr.infra.read_store import Connection
from okr.projections.base import Projection, iso


class Directory(Projection):
    name = "directory"
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
    async def process(self, event: object, conn: Connection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: Organization.Created, conn: Connection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}organizations VALUES ($1, $1, $2, $3, $4)",
            str(event.originator_id),
            event.name,
            event.personal_objectives,
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Organization.PolicyChanged, conn: Connection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}organizations SET personal_objectives = $1 WHERE id = $2",
            event.personal_objectives,
            str(event.originator_id),
        )

    @process.register
    async def _(self, event: Person.Registered, conn: Connection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}people VALUES ($1, $2, $3, $4, 1, $5)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.email,
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Person.Left, conn: Connection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}people SET active = 0 WHERE id = $1", str(event.originator_id)
        )

    @process.register
    async def _(self, event: Person.Rejoined, conn: Connection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}people SET active = 1 WHERE id = $1", str(event.originator_id)
        )

    @process.register
    async def _(self, event: Team.Created, conn: Connection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}teams VALUES ($1, $2, $3, $4)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Team.MemberAdded, conn: Connection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}memberships VALUES ($1, $2, $3, $4, NULL)",
            str(event.originator_id),
            str(event.person_id),
            str(event.organization_id),
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: Team.MemberRemoved, conn: Connection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}memberships SET left_at = $1 "
            "WHERE team_id = $2 AND person_id = $3 AND left_at IS NULL",
            iso(event.timestamp),
            str(event.originator_id),
            str(event.person_id),
        )

    @process.register
    async def _(self, event: Period.Created, conn: Connection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}periods VALUES ($1, $2, $3, $4, $5, 0)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.starts_on.isoformat(),
            event.ends_on.isoformat(),
        )

    @process.register
    async def _(self, event: Period.Closed, conn: Connection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}periods SET closed = 1 WHERE id = $1", str(event.originator_id)
        )

    @process.register
    async def _(self, event: Period.Reopened, conn: Connection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}periods SET closed = 0 WHERE id = $1", str(event.originator_id)
        )
