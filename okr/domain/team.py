"""Teams own OKRs; their membership is kept over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.errors import InvalidInput
from okr.domain.values import clean_title


@dataclass(frozen=True)
class Membership:
    """One stretch of a person's time in a team."""

    person_id: UUID
    joined_at: datetime
    left_at: datetime | None = None


class Team(OkrAggregate):
    """A team; `memberships` holds every stretch, past and current."""

    if TYPE_CHECKING:
        name: str
        memberships: list[Membership]

    class Created(OkrAggregate.Created):
        name: str

        def apply(self, aggregate: Team) -> None:
            super().apply(aggregate)
            aggregate.name = self.name
            aggregate.memberships = []

    class MemberAdded(OkrAggregate.Event):
        person_id: UUID

        def apply(self, aggregate: Team) -> None:
            aggregate.memberships.append(Membership(self.person_id, self.timestamp))

    class MemberRemoved(OkrAggregate.Event):
        person_id: UUID

        def apply(self, aggregate: Team) -> None:
            aggregate.memberships = [
                Membership(m.person_id, m.joined_at, self.timestamp)
                if m.person_id == self.person_id and m.left_at is None
                else m
                for m in aggregate.memberships
            ]

    @classmethod
    def create(cls, organization_id: UUID, actor: str, name: str) -> Team:
        return cls._create(
            cls.Created,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            name=clean_title(name, "name"),
        )

    @property
    def member_ids(self) -> frozenset[UUID]:
        """The people in the team now."""
        return frozenset(m.person_id for m in self.memberships if m.left_at is None)

    def members_at(self, moment: datetime) -> frozenset[UUID]:
        """The people who were in the team at `moment`."""
        return frozenset(
            m.person_id
            for m in self.memberships
            if m.joined_at <= moment and (m.left_at is None or moment < m.left_at)
        )

    def add_member(self, actor: str, person_id: UUID) -> None:
        if person_id in self.member_ids:
            raise InvalidInput("the person is already a member", "personId")
        self.trigger_event(self.MemberAdded, actor=actor, person_id=person_id)

    def remove_member(self, actor: str, person_id: UUID) -> None:
        if person_id not in self.member_ids:
            raise InvalidInput("the person is not a member", "personId")
        self.trigger_event(self.MemberRemoved, actor=actor, person_id=person_id)
