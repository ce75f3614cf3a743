"""Commands on the organization, its people, teams, periods and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from okr.domain.api_token import Role
from okr.domain.commands.base import Command
from okr.domain.values import PersonalObjectivePolicy


@dataclass(frozen=True)
class ChangePersonalObjectivePolicy(Command):
    policy: PersonalObjectivePolicy


@dataclass(frozen=True)
class RegisterPerson(Command):
    name: str
    email: str = ""


@dataclass(frozen=True)
class DeactivatePerson(Command, command_name="person_leaves"):
    person_id: UUID
    reason: str = ""


@dataclass(frozen=True)
class ReactivatePerson(Command, command_name="person_rejoins"):
    person_id: UUID


@dataclass(frozen=True)
class CreateTeam(Command):
    name: str


@dataclass(frozen=True)
class AddTeamMember(Command, retry=True):
    team_id: UUID
    person_id: UUID


@dataclass(frozen=True)
class RemoveTeamMember(Command, retry=True):
    team_id: UUID
    person_id: UUID


@dataclass(frozen=True)
class CreatePeriod(Command):
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ClosePeriod(Command):
    period_id: UUID
    reason: str = ""


@dataclass(frozen=True)
class ReopenPeriod(Command):
    period_id: UUID
    reason: str


@dataclass(frozen=True)
class IssueApiToken(Command):
    """`secret_hash` is the stored form of a secret the caller generated and shows once."""

    name: str
    role: Role
    person_id: UUID | None
    secret_hash: str


@dataclass(frozen=True)
class RevokeApiToken(Command, command_name="revoke_token"):
    token_id: UUID
