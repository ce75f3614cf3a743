"""Commands on objectives: creation, lead, contributors, alignment, initiatives, lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from okr.domain.commands.base import Command
from okr.domain.values import InitiativeStatus, ObjectiveKind, ObjectiveLevel


@dataclass(frozen=True)
class CreateObjective(Command):
    title: str
    kind: ObjectiveKind
    level: ObjectiveLevel
    period_id: UUID
    lead_id: UUID
    team_ids: tuple[UUID, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ChangeObjectiveLead(Command, command_name="change_lead"):
    objective_id: UUID
    lead_id: UUID
    reason: str


@dataclass(frozen=True)
class AddContributor(Command, retry=True):
    objective_id: UUID
    person_id: UUID


@dataclass(frozen=True)
class RemoveContributor(Command, retry=True):
    objective_id: UUID
    person_id: UUID


@dataclass(frozen=True)
class AlignObjective(Command):
    """Align to a directional objective or to a key result of one: exactly one is given."""

    objective_id: UUID
    parent_objective_id: UUID | None = None
    parent_key_result_id: UUID | None = None


@dataclass(frozen=True)
class UnalignObjective(Command):
    objective_id: UUID
    reason: str = ""


@dataclass(frozen=True)
class AddInitiative(Command, retry=True):
    objective_id: UUID
    title: str
    owner_id: UUID


@dataclass(frozen=True)
class SetInitiativeStatus(Command, retry=True):
    objective_id: UUID
    initiative_id: UUID
    status: InitiativeStatus


@dataclass(frozen=True)
class ActivateObjective(Command):
    objective_id: UUID


@dataclass(frozen=True)
class CloseObjective(Command):
    """Close and grade: the one change allowed in a closed period."""

    objective_id: UUID
    score: float
    retrospective: str = ""


@dataclass(frozen=True)
class ReopenObjective(Command):
    objective_id: UUID
    reason: str


@dataclass(frozen=True)
class ArchiveObjective(Command):
    objective_id: UUID
