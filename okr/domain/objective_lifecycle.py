"""Objective lifecycle rules: what a new objective needs, and what each status allows."""

from __future__ import annotations

from uuid import UUID

from okr.domain.errors import (
    InvalidInput,
    InvalidPeriodSpan,
    InvalidTransition,
    ObjectiveLocked,
    PolicyViolation,
)
from okr.domain.objective_people import check_lead
from okr.domain.organization import Organization, Person
from okr.domain.period import QUARTER_MAX_DAYS, YEAR_MIN_DAYS, Period
from okr.domain.values import (
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
    PersonalObjectivePolicy,
)


def check_span(kind: ObjectiveKind, period: Period) -> None:
    """Executable objectives span a quarter at most; directional ones a year at least."""
    if kind is ObjectiveKind.EXECUTABLE and period.days > QUARTER_MAX_DAYS:
        raise InvalidPeriodSpan("an executable objective spans a quarter at most", "periodId")
    if kind is ObjectiveKind.DIRECTIONAL and period.days < YEAR_MIN_DAYS:
        raise InvalidPeriodSpan("a directional objective spans a year at least", "periodId")


def check_new_objective(
    organization: Organization,
    period: Period,
    lead: Person,
    kind: ObjectiveKind,
    level: ObjectiveLevel,
    team_ids: tuple[UUID, ...],
) -> None:
    """An objective is created in an open period of a span that fits its kind, led by an
    active person, at a level the organization's policy allows, naming its teams once each."""
    period.check_open()
    check_lead(organization.id, lead)
    check_span(kind, period)
    if (
        level is ObjectiveLevel.PERSONAL
        and organization.personal_objectives is PersonalObjectivePolicy.DISALLOW
    ):
        raise PolicyViolation("the organization does not allow personal objectives", "level")
    if level is ObjectiveLevel.TEAM and not team_ids:
        raise InvalidInput("a team objective names at least one team", "teamIds")
    if len(set(team_ids)) != len(team_ids):
        raise InvalidInput("teams must not repeat", "teamIds")


def check_editable(status: ObjectiveStatus) -> None:
    """A closed or archived objective is locked until it is reopened."""
    if status in (ObjectiveStatus.CLOSED, ObjectiveStatus.ARCHIVED):
        raise ObjectiveLocked(
            f"the objective is {status.value.lower()}; reopen it first", "objectiveId"
        )


def check_accepts_check_ins(status: ObjectiveStatus) -> None:
    """Check-ins go to an active objective: not a draft, nor a closed or archived one."""
    check_editable(status)
    if status is ObjectiveStatus.DRAFT:
        raise InvalidTransition(
            "the objective is a draft; activate it before checking in", "objectiveId"
        )


def check_can_activate(status: ObjectiveStatus) -> None:
    """Only a draft is activated."""
    if status is not ObjectiveStatus.DRAFT:
        raise InvalidTransition("only a draft objective can be activated")


def check_can_close(status: ObjectiveStatus) -> None:
    """Only an active objective is closed."""
    if status is not ObjectiveStatus.ACTIVE:
        raise InvalidTransition("only an active objective can be closed")


def check_can_reopen(status: ObjectiveStatus) -> None:
    """Only a closed or archived objective is reopened."""
    if status not in (ObjectiveStatus.CLOSED, ObjectiveStatus.ARCHIVED):
        raise InvalidTransition("only a closed or archived objective can be reopened")


def check_can_archive(status: ObjectiveStatus) -> None:
    """Any objective is archived, once."""
    if status is ObjectiveStatus.ARCHIVED:
        raise InvalidTransition("the objective is already archived")


def reopened_status(archived_from: ObjectiveStatus | None) -> ObjectiveStatus:
    """Reopening returns a draft that was archived to DRAFT, and anything else to ACTIVE."""
    draft = archived_from is ObjectiveStatus.DRAFT
    return ObjectiveStatus.DRAFT if draft else ObjectiveStatus.ACTIVE
