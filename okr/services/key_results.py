"""Handlers of the commands on key results and check-ins, KPIs and recognition."""

from __future__ import annotations

from uuid import UUID

from okr.domain import commands as c
from okr.domain.key_result import KeyResult
from okr.domain.kpi import Kpi
from okr.domain.objective import Objective
from okr.domain.organization import Person
from okr.domain.period import Period
from okr.domain.recognition import Recognition
from okr.domain.team import Team
from okr.services.objectives import editable_objective, period_of
from okr.services.unit_of_work import UnitOfWork


def editable_key_result(uow: UnitOfWork, key_result_id: UUID) -> tuple[KeyResult, Objective]:
    """The key result and its objective, if neither the objective nor its period is closed."""
    key_result = uow.get(KeyResult, key_result_id, "keyResultId")
    return key_result, editable_objective(uow, key_result.objective_id, checked=True)


def add_key_result(cmd: c.AddKeyResult, uow: UnitOfWork) -> UUID:
    objective = editable_objective(uow, cmd.objective_id)
    key_result = KeyResult.create(
        uow.actor,
        objective.id,
        uow.organization_id,
        title=cmd.title,
        metric=cmd.metric,
        start=cmd.start,
        target=cmd.target,
        unit=cmd.unit,
        weight=cmd.weight,
    )
    objective.record_key_result(uow.actor, key_result.id)
    uow.add(key_result)
    return key_result.id


def revise_target(cmd: c.ReviseKeyResultTarget, uow: UnitOfWork) -> UUID:
    key_result, _ = editable_key_result(uow, cmd.key_result_id)
    key_result.revise_target(uow.actor, cmd.target, cmd.reason)
    return key_result.id


def _check_in_window(uow: UnitOfWork, objective: Objective) -> Period:
    objective.check_accepts_check_ins()
    return period_of(uow, objective)


def record_check_in(cmd: c.RecordCheckIn, uow: UnitOfWork) -> UUID:
    """Record a value; returns the new check-in's id."""
    key_result, objective = editable_key_result(uow, cmd.key_result_id)
    return key_result.record_check_in(
        uow.actor,
        cmd.value,
        cmd.confidence,
        cmd.effective_at,
        cmd.note,
        period=_check_in_window(uow, objective),
    )


def correct_check_in(cmd: c.CorrectCheckIn, uow: UnitOfWork) -> UUID:
    """Supersede a check-in with a corrected one; returns the correction's id."""
    key_result, objective = editable_key_result(uow, cmd.key_result_id)
    return key_result.correct_check_in(
        uow.actor,
        cmd.check_in_id,
        cmd.value,
        cmd.confidence,
        cmd.reason,
        cmd.effective_at,
        cmd.note,
        period=_check_in_window(uow, objective),
    )


def create_kpi(cmd: c.CreateKpi, uow: UnitOfWork) -> UUID:
    if cmd.person_id is not None:
        uow.get(Person, cmd.person_id, "personId")
    if cmd.team_id is not None:
        uow.get(Team, cmd.team_id, "teamId")
    kpi = Kpi.create(
        uow.organization_id,
        uow.actor,
        name=cmd.name,
        unit=cmd.unit,
        target=cmd.target,
        person_id=cmd.person_id,
        team_id=cmd.team_id,
    )
    uow.add(kpi)
    return kpi.id


def record_kpi_check_in(cmd: c.RecordKpiCheckIn, uow: UnitOfWork) -> UUID:
    kpi = uow.get(Kpi, cmd.kpi_id, "kpiId")
    kpi.record_check_in(uow.actor, cmd.value, cmd.effective_at, cmd.note)
    return kpi.id


def give_recognition(cmd: c.GiveRecognition, uow: UnitOfWork) -> UUID:
    uow.get(Person, cmd.person_id, "personId")
    if cmd.objective_id is not None:
        uow.get(Objective, cmd.objective_id, "objectiveId")
    if cmd.key_result_id is not None:
        uow.get(KeyResult, cmd.key_result_id, "keyResultId")
    recognition = Recognition.give(
        uow.organization_id,
        uow.actor,
        person_id=cmd.person_id,
        kind=cmd.kind,
        message=cmd.message,
        objective_id=cmd.objective_id,
        key_result_id=cmd.key_result_id,
    )
    uow.add(recognition)
    return recognition.id
