"""The okr application: one entry point for every command, and the history reads."""

from __future__ import annotations

from uuid import UUID

from okr.domain.organization import Organization
from okr.domain.values import PersonalObjectivePolicy
from okr.services.command_application import CommandApplication
from okr.services.context import CommandResult
from okr.services.handlers import HANDLERS


class OkrApplication(CommandApplication):
    """`handle(context, command)` runs any command; history reads fold the stored events."""

    handlers = HANDLERS

    def create_organization(
        self,
        actor: str,
        name: str,
        personal_objectives: PersonalObjectivePolicy = PersonalObjectivePolicy.WARN,
        organization_id: UUID | None = None,
    ) -> CommandResult:
        """Found a new tenant; its id is the organization id of everything it will own."""
        organization = Organization.create(actor, name, personal_objectives, organization_id)
        recordings = self.save(organization)
        return CommandResult(organization.id, recordings[-1].notification.id)
