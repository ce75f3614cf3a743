"""The little the rules need to know of each aggregate, rebuilt event by event."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from okr.domain.base import OkrAggregate
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.team import Team
from okr.domain.values import ObjectiveKind, ObjectiveStatus, PersonalObjectivePolicy


def name_key(name: str) -> str:
    """How period names compare: trimmed, case-insensitive."""
    return name.strip().casefold()


@dataclass(slots=True)
class PeriodState:
    organization_id: UUID
    name: str
    starts_on: date
    ends_on: date
    closed: bool = False

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def covers(self, other: PeriodState) -> bool:
        return self.starts_on <= other.starts_on and other.ends_on <= self.ends_on


@dataclass(slots=True)
class ObjectiveState:
    organization_id: UUID
    period_id: UUID
    kind: ObjectiveKind
    status: ObjectiveStatus = ObjectiveStatus.DRAFT
    archived_from: ObjectiveStatus | None = None
    parent_objective_id: UUID | None = None
    parent_key_result_id: UUID | None = None


@dataclass(slots=True)
class PersonState:
    organization_id: UUID
    active: bool = True


@dataclass(slots=True, frozen=True)
class KeyResultState:
    organization_id: UUID
    objective_id: UUID


@dataclass
class LogState:
    """Organizations, people, teams, periods, objectives and key results as of some position."""

    policies: dict[UUID, PersonalObjectivePolicy] = field(default_factory=dict)
    people: dict[UUID, PersonState] = field(default_factory=dict)
    teams: dict[UUID, UUID] = field(default_factory=dict)
    periods: dict[UUID, PeriodState] = field(default_factory=dict)
    period_names: dict[tuple[UUID, str], UUID] = field(default_factory=dict)
    objectives: dict[UUID, ObjectiveState] = field(default_factory=dict)
    key_results: dict[UUID, KeyResultState] = field(default_factory=dict)

    def owner(self, aggregate_id: UUID) -> UUID | None:
        """The organization of a known aggregate, or None if it is unknown."""
        if aggregate_id in self.policies:
            return aggregate_id
        for table in (self.people, self.periods, self.objectives, self.key_results):
            found = table.get(aggregate_id)
            if found is not None:
                return found.organization_id
        return self.teams.get(aggregate_id)

    def parent_of(self, objective_id: UUID) -> UUID | None:
        """The objective directly above `objective_id`, through a key result if need be."""
        objective = self.objectives.get(objective_id)
        if objective is None or objective.parent_key_result_id is None:
            return None if objective is None else objective.parent_objective_id
        above = self.key_results.get(objective.parent_key_result_id)
        return None if above is None else above.objective_id

    def ancestors(self, objective_id: UUID) -> Iterator[UUID]:
        """`objective_id` and the objectives above it, nearest first, each once."""
        seen: set[UUID] = set()
        node: UUID | None = objective_id
        while node is not None and node not in seen:
            seen.add(node)
            yield node
            node = self.parent_of(node)

    def apply(self, event: OkrAggregate.Event) -> None:
        """Bring the state past `event`."""
        subject = event.originator_id
        objective = self.objectives.get(subject)
        match event:
            case Organization.Created() | Organization.PolicyChanged():
                self.policies[subject] = PersonalObjectivePolicy(event.personal_objectives)
            case Person.Registered():
                self.people[subject] = PersonState(event.organization_id)
            case Person.Left() | Person.Rejoined() if subject in self.people:
                self.people[subject].active = isinstance(event, Person.Rejoined)
            case Team.Created():
                self.teams[subject] = event.organization_id
            case Period.Created():
                self.periods[subject] = PeriodState(
                    event.organization_id, event.name, event.starts_on, event.ends_on
                )
                self.period_names.setdefault((event.organization_id, name_key(event.name)), subject)
            case Period.Closed() | Period.Reopened() if subject in self.periods:
                self.periods[subject].closed = isinstance(event, Period.Closed)
            case Objective.Created():
                self.objectives[subject] = ObjectiveState(
                    event.organization_id, event.period_id, ObjectiveKind(event.kind)
                )
            case KeyResult.Created():
                self.key_results[subject] = KeyResultState(
                    event.organization_id, event.objective_id
                )
            case _ if objective is not None:
                _apply_to_objective(objective, event)


def _apply_to_objective(objective: ObjectiveState, event: OkrAggregate.Event) -> None:
    match event:
        case Objective.Aligned():
            objective.parent_objective_id = event.parent_objective_id
            objective.parent_key_result_id = event.parent_key_result_id
        case Objective.Unaligned():
            objective.parent_objective_id = objective.parent_key_result_id = None
        case Objective.Activated():
            objective.status = ObjectiveStatus.ACTIVE
        case Objective.Closed():
            objective.status = ObjectiveStatus.CLOSED
        case Objective.Reopened():
            was_draft = objective.archived_from is ObjectiveStatus.DRAFT
            objective.status = ObjectiveStatus.DRAFT if was_draft else ObjectiveStatus.ACTIVE
            objective.archived_from = None
        case Objective.Archived():
            objective.archived_from = objective.status
            objective.status = ObjectiveStatus.ARCHIVED
