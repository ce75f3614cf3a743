"""The tenant and the people in it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.errors import InvalidTransition
from okr.domain.values import PersonalObjectivePolicy, clean_text, clean_title


class Organization(OkrAggregate):
    """The tenant; its id is the organization id of every event it owns."""

    if TYPE_CHECKING:
        name: str
        personal_objectives: PersonalObjectivePolicy

    class Created(OkrAggregate.Created):
        name: str
        personal_objectives: str

        def apply(self, aggregate: Organization) -> None:
            super().apply(aggregate)
            aggregate.name = self.name
            aggregate.personal_objectives = PersonalObjectivePolicy(self.personal_objectives)

    class PolicyChanged(OkrAggregate.Event):
        personal_objectives: str

        def apply(self, aggregate: Organization) -> None:
            aggregate.personal_objectives = PersonalObjectivePolicy(self.personal_objectives)

    @classmethod
    def create(
        cls,
        actor: str,
        name: str,
        personal_objectives: PersonalObjectivePolicy = PersonalObjectivePolicy.WARN,
        organization_id: UUID | None = None,
    ) -> Organization:
        organization_id = organization_id or uuid4()
        return cls._create(
            cls.Created,
            id=organization_id,
            organization_id=organization_id,
            actor=actor,
            name=clean_title(name, "name"),
            personal_objectives=personal_objectives.value,
        )

    def change_policy(self, actor: str, personal_objectives: PersonalObjectivePolicy) -> None:
        self.trigger_event(
            self.PolicyChanged, actor=actor, personal_objectives=personal_objectives.value
        )


class Person(OkrAggregate):
    """Someone who leads, contributes and checks in. People can leave; history stays."""

    if TYPE_CHECKING:
        name: str
        email: str
        active: bool

    class Registered(OkrAggregate.Created):
        name: str
        email: str

        def apply(self, aggregate: Person) -> None:
            super().apply(aggregate)
            aggregate.name = self.name
            aggregate.email = self.email
            aggregate.active = True

    class Left(OkrAggregate.Event):
        reason: str

        def apply(self, aggregate: Person) -> None:
            aggregate.active = False

    class Rejoined(OkrAggregate.Event):
        def apply(self, aggregate: Person) -> None:
            aggregate.active = True

    @classmethod
    def register(cls, organization_id: UUID, actor: str, name: str, email: str = "") -> Person:
        return cls._create(
            cls.Registered,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            name=clean_title(name, "name"),
            email=clean_text(email, "email", multiline=False),
        )

    def leave(self, actor: str, reason: str = "") -> None:
        if not self.active:
            raise InvalidTransition("the person has already left")
        self.trigger_event(self.Left, actor=actor, reason=clean_text(reason, "reason"))

    def rejoin(self, actor: str) -> None:
        if self.active:
            raise InvalidTransition("the person is active")
        self.trigger_event(self.Rejoined, actor=actor)
