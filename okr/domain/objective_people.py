"""Who may lead an objective or contribute to it."""

from __future__ import annotations

from uuid import UUID

from okr.domain.errors import InvalidInput, InvalidLead
from okr.domain.organization import Person


def check_lead(organization_id: UUID, lead: Person) -> None:
    """A lead is an active person of the objective's organization."""
    if lead.organization_id != organization_id or not lead.active:
        raise InvalidLead("the lead must be an active person of the organization", "leadId")


def check_new_lead(organization_id: UUID, lead_id: UUID, lead: Person) -> None:
    """A new lead is a valid lead other than the current one, `lead_id`."""
    check_lead(organization_id, lead)
    if lead.id == lead_id:
        raise InvalidInput("that person already leads the objective", "leadId")


def check_new_contributor(
    organization_id: UUID, contributor_ids: list[UUID], person: Person
) -> None:
    """A contributor is an active person of the objective's organization, added once."""
    if person.organization_id != organization_id or not person.active:
        raise InvalidInput("a contributor is an active person of the organization", "personId")
    if person.id in contributor_ids:
        raise InvalidInput("the person already contributes", "personId")


def check_contributes(contributor_ids: list[UUID], person_id: UUID) -> None:
    """Only a contributor is removed."""
    if person_id not in contributor_ids:
        raise InvalidInput("the person does not contribute", "personId")
