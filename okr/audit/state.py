"""The state `okr check` judges each event on, rebuilt event by event.

Organizations, people, periods and objectives are the domain's own aggregates, so the domain's
checks run on them as they do in a command. Of a key result only its objective is kept, and of
a team only its organization, so memory stays bounded however many check-ins the log holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from okr.domain.base import OkrAggregate
from okr.domain.errors import NotFound
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Organization, Person
from okr.domain.period import Period, period_name_key
from okr.domain.team import Team

A = TypeVar("A", bound=OkrAggregate)
T = TypeVar("T")


def known(found: T | None, kind: str, aggregate_id: UUID, field: str) -> T:
    """`found`, or the NotFound a command raises for a reference to nothing."""
    if found is None:
        raise NotFound(kind, aggregate_id, field)
    return found


def created(event: OkrAggregate.Created, kind: type[A]) -> A:
    """The aggregate `event` creates."""
    aggregate = event.mutate(None)
    if not isinstance(aggregate, kind):
        raise TypeError(f"{type(event).__qualname__} does not create a {kind.__name__}")
    return aggregate


@dataclass
class LogState:
    """Everything the rules look at, as of some position of the log."""

    organizations: dict[UUID, Organization] = field(default_factory=dict)
    people: dict[UUID, Person] = field(default_factory=dict)
    periods: dict[UUID, Period] = field(default_factory=dict)
    objectives: dict[UUID, Objective] = field(default_factory=dict)
    key_results: dict[UUID, UUID] = field(default_factory=dict)
    teams: dict[UUID, UUID] = field(default_factory=dict)
    period_names: dict[tuple[UUID, str], UUID] = field(default_factory=dict)

    def kept(self, aggregate_id: UUID) -> OkrAggregate | None:
        """The organization, person, period or objective of that id, if any."""
        tables: tuple[Mapping[UUID, OkrAggregate], ...] = (
            self.objectives,
            self.periods,
            self.people,
            self.organizations,
        )
        for table in tables:
            if (found := table.get(aggregate_id)) is not None:
                return found
        return None

    def owner(self, aggregate_id: UUID) -> UUID | None:
        """The organization of a known aggregate (a key result's is its objective's)."""
        if (aggregate := self.kept(aggregate_id)) is not None:
            return aggregate.organization_id
        if (objective := self.objective_of(aggregate_id)) is not None:
            return objective.organization_id
        return self.teams.get(aggregate_id)

    def objective_of(self, key_result_id: UUID) -> Objective | None:
        objective_id = self.key_results.get(key_result_id)
        return None if objective_id is None else self.objectives.get(objective_id)

    def above(self, objective: Objective) -> Objective | None:
        """The objective `objective` aligns under, directly or through a key result."""
        if objective.aligned_to_key_result_id is not None:
            return self.objective_of(objective.aligned_to_key_result_id)
        if objective.aligned_to_objective_id is not None:
            return self.objectives.get(objective.aligned_to_objective_id)
        return None

    def apply(self, event: OkrAggregate.Event) -> None:
        """Bring the state past `event`, whatever rule it broke: the log is what it is, and a
        gap an unreadable event left in an aggregate's versions is stepped over. Raises
        LookupError or ValueError if the aggregate's state cannot take the event."""
        subject = event.originator_id
        match event:
            case Organization.Created():
                self.organizations[subject] = created(event, Organization)
            case Person.Registered():
                self.people[subject] = created(event, Person)
            case Period.Created():
                self.periods[subject] = created(event, Period)
                name = (event.organization_id, period_name_key(event.name))
                self.period_names.setdefault(name, subject)
            case Objective.Created():
                self.objectives[subject] = created(event, Objective)
            case KeyResult.Created():
                self.key_results[subject] = event.objective_id
            case Team.Created():
                self.teams[subject] = event.organization_id
            case _ if (aggregate := self.kept(subject)) is not None:
                aggregate.version = event.originator_version - 1
                event.mutate(aggregate)
