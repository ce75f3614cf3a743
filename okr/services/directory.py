"""Commands for the organization, its people, teams and periods."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.team import Team
from okr.domain.values import PersonalObjectivePolicy
from okr.services.context import CommandResult
from okr.services.runner import CommandApplication, command
from okr.services.unit_of_work import UnitOfWork


class DirectoryCommands(CommandApplication):
    """Organization, people, teams and periods."""

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

    @command()
    def change_personal_objective_policy(
        self, uow: UnitOfWork, policy: PersonalObjectivePolicy
    ) -> UUID:
        organization = uow.get(Organization, uow.organization_id, "organizationId")
        organization.change_policy(uow.actor, policy)
        return organization.id

    @command()
    def register_person(self, uow: UnitOfWork, name: str, email: str = "") -> UUID:
        person = Person.register(uow.organization_id, uow.actor, name, email)
        uow.add(person)
        return person.id

    @command()
    def person_leaves(self, uow: UnitOfWork, person_id: UUID, reason: str = "") -> UUID:
        person = uow.get(Person, person_id, "personId")
        person.leave(uow.actor, reason)
        return person.id

    @command()
    def person_rejoins(self, uow: UnitOfWork, person_id: UUID) -> UUID:
        person = uow.get(Person, person_id, "personId")
        person.rejoin(uow.actor)
        return person.id

    @command()
    def create_team(self, uow: UnitOfWork, name: str) -> UUID:
        team = Team.create(uow.organization_id, uow.actor, name)
        uow.add(team)
        return team.id

    @command()
    def add_team_member(self, uow: UnitOfWork, team_id: UUID, person_id: UUID) -> UUID:
        team = uow.get(Team, team_id, "teamId")
        uow.get(Person, person_id, "personId")
        team.add_member(uow.actor, person_id)
        return team.id

    @command()
    def remove_team_member(self, uow: UnitOfWork, team_id: UUID, person_id: UUID) -> UUID:
        team = uow.get(Team, team_id, "teamId")
        team.remove_member(uow.actor, person_id)
        return team.id

    @command()
    def create_period(self, uow: UnitOfWork, name: str, starts_on: date, ends_on: date) -> UUID:
        period = Period.create(uow.organization_id, uow.actor, name, starts_on, ends_on)
        uow.add(period)
        return period.id

    @command()
    def close_period(self, uow: UnitOfWork, period_id: UUID) -> UUID:
        period = uow.get(Period, period_id, "periodId")
        period.close(uow.actor)
        return period.id

    @command()
    def reopen_period(self, uow: UnitOfWork, period_id: UUID, reason: str) -> UUID:
        period = uow.get(Period, period_id, "periodId")
        period.reopen(uow.actor, reason)
        return period.id
