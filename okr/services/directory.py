"""Handlers of the commands on the organization, its people, teams and periods."""

from __future__ import annotations

from uuid import UUID

from okr.domain import commands as c
from okr.domain.errors import InvalidInput
from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.period_name import PeriodName, period_name_id
from okr.domain.team import Team
from okr.services.unit_of_work import UnitOfWork


def change_personal_objective_policy(cmd: c.ChangePersonalObjectivePolicy, uow: UnitOfWork) -> UUID:
    organization = uow.get(Organization, uow.organization_id, "organizationId")
    organization.change_policy(uow.actor, cmd.policy)
    return organization.id


def register_person(cmd: c.RegisterPerson, uow: UnitOfWork) -> UUID:
    person = Person.register(uow.organization_id, uow.actor, cmd.name, cmd.email)
    uow.add(person)
    return person.id


def deactivate_person(cmd: c.DeactivatePerson, uow: UnitOfWork) -> UUID:
    person = uow.get(Person, cmd.person_id, "personId")
    person.leave(uow.actor, cmd.reason)
    return person.id


def reactivate_person(cmd: c.ReactivatePerson, uow: UnitOfWork) -> UUID:
    person = uow.get(Person, cmd.person_id, "personId")
    person.rejoin(uow.actor)
    return person.id


def create_team(cmd: c.CreateTeam, uow: UnitOfWork) -> UUID:
    team = Team.create(uow.organization_id, uow.actor, cmd.name)
    uow.add(team)
    return team.id


def add_team_member(cmd: c.AddTeamMember, uow: UnitOfWork) -> UUID:
    team = uow.get(Team, cmd.team_id, "teamId")
    uow.get(Person, cmd.person_id, "personId")
    team.add_member(uow.actor, cmd.person_id)
    return team.id


def remove_team_member(cmd: c.RemoveTeamMember, uow: UnitOfWork) -> UUID:
    team = uow.get(Team, cmd.team_id, "teamId")
    team.remove_member(uow.actor, cmd.person_id)
    return team.id


def create_period(cmd: c.CreatePeriod, uow: UnitOfWork) -> UUID:
    """A period claims its name, and a claim's id follows from the organization and the name,
    so a second period of the same name finds the first claim, even at the same moment."""
    period = Period.create(uow.organization_id, uow.actor, cmd.name, cmd.starts_on, cmd.ends_on)
    claim_id = period_name_id(uow.organization_id, period.name)
    if uow.find(PeriodName, claim_id, "name") is not None:
        raise InvalidInput("the organization already has a period of that name", "name")
    uow.add(period)
    uow.add(PeriodName.claim(uow.organization_id, uow.actor, period.name, period.id))
    return period.id


def close_period(cmd: c.ClosePeriod, uow: UnitOfWork) -> UUID:
    period = uow.get(Period, cmd.period_id, "periodId")
    period.close(uow.actor, cmd.reason)
    return period.id


def reopen_period(cmd: c.ReopenPeriod, uow: UnitOfWork) -> UUID:
    period = uow.get(Period, cmd.period_id, "periodId")
    period.reopen(uow.actor, cmd.reason)
    return period.id
