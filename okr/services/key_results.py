"""Commands on key results, KPIs and recognition."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from okr.domain.key_result import KeyResult
from okr.domain.kpi import Kpi
from okr.domain.objective import Objective
from okr.domain.organization import Person
from okr.domain.recognition import Recognition
from okr.domain.team import Team
from okr.domain.values import FeedbackKind, Metric
from okr.services.objectives import editable_objective
from okr.services.runner import CommandApplication, command
from okr.services.unit_of_work import UnitOfWork


def editable_key_result(uow: UnitOfWork, key_result_id: UUID) -> KeyResult:
    """The key result, if neither its objective nor its period is closed."""
    key_result = uow.get(KeyResult, key_result_id, "keyResultId")
    editable_objective(uow, key_result.objective_id, checked=True)
    return key_result


class KeyResultCommands(CommandApplication):
    """Key results, their targets and check-ins; KPIs; recognition."""

    @command()
    def add_key_result(
        self,
        uow: UnitOfWork,
        objective_id: UUID,
        *,
        title: str,
        metric: Metric,
        start: float = 0.0,
        target: float = 1.0,
        unit: str = "NUMBER",
        weight: float = 1.0,
    ) -> UUID:
        objective = editable_objective(uow, objective_id)
        key_result = KeyResult.create(
            uow.actor,
            objective.id,
            uow.organization_id,
            title=title,
            metric=metric,
            start=start,
            target=target,
            unit=unit,
            weight=weight,
        )
        objective.record_key_result(uow.actor, key_result.id)
        uow.add(key_result)
        return key_result.id

    @command()
    def revise_target(
        self, uow: UnitOfWork, key_result_id: UUID, target: float, reason: str
    ) -> UUID:
        key_result = editable_key_result(uow, key_result_id)
        key_result.revise_target(uow.actor, target, reason)
        return key_result.id

    @command(retry=True)
    def record_check_in(
        self,
        uow: UnitOfWork,
        key_result_id: UUID,
        *,
        value: float,
        confidence: int,
        effective_at: datetime,
        note: str = "",
    ) -> UUID:
        """Record a value; returns the new check-in's id."""
        key_result = editable_key_result(uow, key_result_id)
        return key_result.record_check_in(uow.actor, value, confidence, effective_at, note)

    @command(retry=True)
    def correct_check_in(
        self,
        uow: UnitOfWork,
        key_result_id: UUID,
        *,
        check_in_id: UUID,
        value: float,
        confidence: int,
        reason: str,
        effective_at: datetime | None = None,
        note: str = "",
    ) -> UUID:
        """Supersede a check-in with a corrected one; returns the correction's id."""
        key_result = editable_key_result(uow, key_result_id)
        return key_result.correct_check_in(
            uow.actor, check_in_id, value, confidence, reason, effective_at, note
        )

    @command()
    def create_kpi(
        self,
        uow: UnitOfWork,
        *,
        name: str,
        unit: str = "NUMBER",
        target: float | None = None,
        person_id: UUID | None = None,
        team_id: UUID | None = None,
    ) -> UUID:
        if person_id is not None:
            uow.get(Person, person_id, "personId")
        if team_id is not None:
            uow.get(Team, team_id, "teamId")
        kpi = Kpi.create(
            uow.organization_id,
            uow.actor,
            name=name,
            unit=unit,
            target=target,
            person_id=person_id,
            team_id=team_id,
        )
        uow.add(kpi)
        return kpi.id

    @command(retry=True)
    def record_kpi_check_in(
        self, uow: UnitOfWork, kpi_id: UUID, *, value: float, effective_at: datetime, note: str = ""
    ) -> UUID:
        kpi = uow.get(Kpi, kpi_id, "kpiId")
        kpi.record_check_in(uow.actor, value, effective_at, note)
        return kpi.id

    @command()
    def give_recognition(
        self,
        uow: UnitOfWork,
        *,
        person_id: UUID,
        message: str,
        kind: FeedbackKind = FeedbackKind.RECOGNITION,
        objective_id: UUID | None = None,
        key_result_id: UUID | None = None,
    ) -> UUID:
        uow.get(Person, person_id, "personId")
        if objective_id is not None:
            uow.get(Objective, objective_id, "objectiveId")
        if key_result_id is not None:
            uow.get(KeyResult, key_result_id, "keyResultId")
        recognition = Recognition.give(
            uow.organization_id,
            uow.actor,
            person_id=person_id,
            kind=kind,
            message=message,
            objective_id=objective_id,
            key_result_id=key_result_id,
        )
        uow.add(recognition)
        return recognition.id
