"""The organization, its people, teams and periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

from okr.domain.values import PersonalObjectivePolicy
from okr.graphql.context import Info
from okr.graphql.node import FoundNode, store_and_organization
from okr.views.database import Row
from okr.views.directory import organization

PolicyEnum = strawberry.enum(PersonalObjectivePolicy, name="PersonalObjectivePolicy")


@strawberry.type
class Organization(FoundNode):
    id: relay.NodeID[str]
    name: str
    personal_objectives: PolicyEnum  # type: ignore[valid-type]

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            name=row["name"],
            personal_objectives=PersonalObjectivePolicy(row["personal_objectives"]),
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        """The caller's own organization; any other is not found."""
        store, organization_id = store_and_organization(info)
        if raw_id != organization_id:
            return None
        row = await organization(store, organization_id)
        return None if row is None else cls.of(row)


def membership(row: Row, person: Person, team: Team) -> Membership:
    """A membership row (joined with a person or a team) as a Membership."""
    return Membership(
        joined_at=datetime.fromisoformat(row["joined_at"]),
        left_at=datetime.fromisoformat(row["left_at"]) if row["left_at"] else None,
        person=person,
        team=team,
    )


@strawberry.type
class Membership:
    joined_at: datetime
    left_at: datetime | None
    person: Person
    team: Team


@strawberry.type
class Person(FoundNode):
    id: relay.NodeID[str]
    row: strawberry.Private[Row]
    name: str
    email: str
    active: bool

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            row=row,
            name=row["name"],
            email=row["email"],
            active=bool(row["active"]),
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await info.context.loaders.person.load(raw_id)
        return None if row is None else cls.of(row)

    @strawberry.field(description="Every stretch of this person's time in a team, past too.")
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.teams_of_person.load(self.row["id"])
        return [membership(r, self, Team.of(r)) for r in rows]


@strawberry.type
class Team(FoundNode):
    id: relay.NodeID[str]
    row: strawberry.Private[Row]
    name: str

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(id=row["id"], row=row, name=row["name"])

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await info.context.loaders.team.load(raw_id)
        return None if row is None else cls.of(row)

    @strawberry.field(description="The people in the team now.")
    async def members(self, info: Info) -> list[Person]:
        rows = await info.context.loaders.members_of.load(self.row["id"])
        return [Person.of(r) for r in rows if r["left_at"] is None]

    @strawberry.field(description="Every membership, past and current.")
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.members_of.load(self.row["id"])
        return [membership(r, Person.of(r), self) for r in rows]


@strawberry.type
class Period(FoundNode):
    id: relay.NodeID[str]
    row: strawberry.Private[Row]
    name: str
    starts_on: date
    ends_on: date
    closed: bool

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            row=row,
            name=row["name"],
            starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]),
            closed=bool(row["closed"]),
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await info.context.loaders.period.load(raw_id)
        return None if row is None else cls.of(row)
