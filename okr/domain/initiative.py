"""Initiatives: work an objective hopes will move its key results, and who may own one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from okr.domain.errors import InvalidInput
from okr.domain.organization import Person
from okr.domain.values import InitiativeStatus


@dataclass(frozen=True)
class Initiative:
    """Work hoped to move the key results; it never counts toward progress."""

    id: UUID
    title: str
    owner_id: UUID
    status: InitiativeStatus


def check_initiative_owner(organization_id: UUID, owner: Person) -> None:
    """An initiative's owner is an active person of the objective's organization."""
    if owner.organization_id != organization_id or not owner.active:
        raise InvalidInput("an initiative's owner is an active person", "ownerId")


def check_known_initiative(initiatives: Mapping[UUID, Initiative], initiative_id: UUID) -> None:
    """The initiative is one of the objective's."""
    if initiative_id not in initiatives:
        raise InvalidInput(f"initiative {initiative_id} not found", "initiativeId")
