"""The organization, its people, teams and periods."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from okr.domain.values import PersonalObjectivePolicy
from okr.graphql.context import Info
from okr.graphql.ids import global_id
from okr.views.database import Row

PolicyEnum = strawberry.enum(PersonalObjectivePolicy, name="PersonalObjectivePolicy")


@strawberry.interface(description="An object with a global id, fetchable through `node`.")
class Node:
    id: strawberry.ID


@strawberry.type
class Organization(Node):
    name: str
    personal_objectives: PolicyEnum  # type: ignore[valid-type]

    @classmethod
    def of(cls, row: Row) -> Organization:
        return cls(
            id=strawberry.ID(global_id("Organization", row["id"])),
            name=row["name"],
            personal_objectives=PersonalObjectivePolicy(row["personal_objectives"]),
        )


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
class Person(Node):
    row: strawberry.Private[Row]
    name: str
    email: str
    active: bool

    @classmethod
    def of(cls, row: Row) -> Person:
        return cls(
            id=strawberry.ID(global_id("Person", row["id"])),
            row=row,
            name=row["name"],
            email=row["email"],
            active=bool(row["active"]),
        )

    @strawberry.field(description="Every stretch of this person's time in a team, past too.")
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.teams_of_person.load(self.row["id"])
        return [membership(r, self, Team.of(r)) for r in rows]


@strawberry.type
class Team(Node):
    row: strawberry.Private[Row]
    name: str

    @classmethod
    def of(cls, row: Row) -> Team:
        return cls(id=strawberry.ID(global_id("Team", row["id"])), row=row, name=row["name"])

    @strawberry.field(description="The people in the team now.")
    async def members(self, info: Info) -> list[Person]:
        rows = await info.context.loaders.members_of.load(self.row["id"])
        return [Person.of(r) for r in rows if r["left_at"] is None]

    @strawberry.field(description="Every membership, past and current.")
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.members_of.load(self.row["id"])
        return [membership(r, Person.of(r), self) for r in rows]


@strawberry.type
class Period(Node):
    row: strawberry.Private[Row]
    name: str
    starts_on: date
    ends_on: date
    closed: bool

    @classmethod
    def of(cls, row: Row) -> Period:
        return cls(
            id=strawberry.ID(global_id("Period", row["id"])),
            row=row,
            name=row["name"],
            starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]),
            closed=bool(row["closed"]),
        )
