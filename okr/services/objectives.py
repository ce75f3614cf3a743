"""Commands on objectives: creation, lead, contributors, alignment, initiatives, lifecycle."""

from __future__ import annotations

from uuid import UUID

from okr.domain.errors import InvalidInput
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective, check_no_cycle
from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.team import Team
from okr.domain.values import InitiativeStatus, ObjectiveKind, ObjectiveLevel
from okr.services.runner import CommandApplication, command
from okr.services.unit_of_work import UnitOfWork

MAX_ALIGNMENT_DEPTH = 100


def open_objective(uow: UnitOfWork, objective_id: UUID, *, checked: bool = False) -> Objective:
    """The objective, if its period is open; its own state is checked by each command
    (`checked`: the command does not change it, see `UnitOfWork.get`)."""
    objective = uow.get(Objective, objective_id, "objectiveId", checked=checked)
    uow.get(Period, objective.period_id, "periodId", checked=True).check_open()
    return objective


def editable_objective(uow: UnitOfWork, objective_id: UUID, *, checked: bool = False) -> Objective:
    """The objective, if neither it nor its period is closed."""
    objective = open_objective(uow, objective_id, checked=checked)
    objective.check_editable()
    return objective


class ObjectiveCommands(CommandApplication):
    """Everything that changes an objective."""

    @command()
    def create_objective(
        self,
        uow: UnitOfWork,
        *,
        title: str,
        kind: ObjectiveKind,
        level: ObjectiveLevel,
        period_id: UUID,
        lead_id: UUID,
        team_ids: tuple[UUID, ...] = (),
        description: str = "",
    ) -> UUID:
        for team_id in team_ids:
            uow.get(Team, team_id, "teamIds")
        objective = Objective.create(
            uow.actor,
            uow.get(Organization, uow.organization_id, "organizationId"),
            uow.get(Period, period_id, "periodId"),
            uow.get(Person, lead_id, "leadId"),
            title=title,
            kind=kind,
            level=level,
            team_ids=team_ids,
            description=description,
        )
        uow.add(objective)
        return objective.id

    @command()
    def change_lead(self, uow: UnitOfWork, objective_id: UUID, lead_id: UUID, reason: str) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.change_lead(uow.actor, uow.get(Person, lead_id, "leadId"), reason)
        return objective.id

    @command()
    def add_contributor(self, uow: UnitOfWork, objective_id: UUID, person_id: UUID) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.add_contributor(uow.actor, uow.get(Person, person_id, "personId"))
        return objective.id

    @command()
    def remove_contributor(self, uow: UnitOfWork, objective_id: UUID, person_id: UUID) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.remove_contributor(uow.actor, person_id)
        return objective.id

    @command()
    def align_objective(
        self,
        uow: UnitOfWork,
        objective_id: UUID,
        *,
        parent_objective_id: UUID | None = None,
        parent_key_result_id: UUID | None = None,
    ) -> UUID:
        if (parent_objective_id is None) == (parent_key_result_id is None):
            raise InvalidInput("name either a parent objective or a parent key result", "parentId")
        objective = open_objective(uow, objective_id)
        if parent_key_result_id is not None:
            key_result = uow.get(KeyResult, parent_key_result_id, "parentKeyResultId")
            parent = uow.get(Objective, key_result.objective_id, "parentKeyResultId")
        else:
            assert parent_objective_id is not None
            parent = uow.get(Objective, parent_objective_id, "parentObjectiveId")
        check_no_cycle(objective.id, self._ancestors(uow, parent))
        objective.align_to(uow.actor, parent, parent_key_result_id)
        return objective.id

    @staticmethod
    def _ancestors(uow: UnitOfWork, parent: Objective) -> list[UUID]:
        """`parent` and the objectives above it, nearest first."""
        chain: list[UUID] = []
        node: Objective | None = parent
        while node is not None and len(chain) < MAX_ALIGNMENT_DEPTH:
            chain.append(node.id)
            if node.aligned_to_objective_id is not None:
                node = uow.get(Objective, node.aligned_to_objective_id, "parentId")
            elif node.aligned_to_key_result_id is not None:
                above = uow.get(KeyResult, node.aligned_to_key_result_id, "parentId")
                node = uow.get(Objective, above.objective_id, "parentId")
            else:
                node = None
        return chain

    @command()
    def add_initiative(
        self, uow: UnitOfWork, objective_id: UUID, title: str, owner_id: UUID
    ) -> UUID:
        objective = open_objective(uow, objective_id)
        return objective.add_initiative(uow.actor, title, uow.get(Person, owner_id, "ownerId"))

    @command()
    def set_initiative_status(
        self, uow: UnitOfWork, objective_id: UUID, initiative_id: UUID, status: InitiativeStatus
    ) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.set_initiative_status(uow.actor, initiative_id, status)
        return objective.id

    @command()
    def activate_objective(self, uow: UnitOfWork, objective_id: UUID) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.activate(uow.actor)
        return objective.id

    @command()
    def close_objective(
        self, uow: UnitOfWork, objective_id: UUID, score: float, retrospective: str = ""
    ) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.close(uow.actor, score, retrospective)
        return objective.id

    @command()
    def reopen_objective(self, uow: UnitOfWork, objective_id: UUID, reason: str) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.reopen(uow.actor, reason)
        return objective.id

    @command()
    def archive_objective(self, uow: UnitOfWork, objective_id: UUID) -> UUID:
        objective = open_objective(uow, objective_id)
        objective.archive(uow.actor)
        return objective.id
