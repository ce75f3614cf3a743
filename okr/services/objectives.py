"""Handlers of the commands on objectives: creation, lead, contributors, alignment,
initiatives and the lifecycle."""

from __future__ import annotations

from uuid import UUID

from okr.domain import commands as c
from okr.domain.alignment import ancestor_ids, check_no_cycle, check_one_parent
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.team import Team
from okr.services.unit_of_work import UnitOfWork


def open_objective(uow: UnitOfWork, objective_id: UUID, *, checked: bool = False) -> Objective:
    """The objective, if its period is open; its own state is checked by each command
    (`checked`: the command does not change it, see `UnitOfWork.get`)."""
    objective = uow.get(Objective, objective_id, "objectiveId", checked=checked)
    period_of(uow, objective).check_open()
    return objective


def period_of(uow: UnitOfWork, objective: Objective) -> Period:
    return uow.get(Period, objective.period_id, "periodId", checked=True)


def editable_objective(uow: UnitOfWork, objective_id: UUID, *, checked: bool = False) -> Objective:
    """The objective, if neither it nor its period is closed."""
    objective = open_objective(uow, objective_id, checked=checked)
    objective.check_editable()
    return objective


def create_objective(cmd: c.CreateObjective, uow: UnitOfWork) -> UUID:
    for team_id in cmd.team_ids:
        uow.get(Team, team_id, "teamIds")
    objective = Objective.create(
        uow.actor,
        uow.get(Organization, uow.organization_id, "organizationId"),
        uow.get(Period, cmd.period_id, "periodId"),
        uow.get(Person, cmd.lead_id, "leadId"),
        title=cmd.title,
        kind=cmd.kind,
        level=cmd.level,
        team_ids=cmd.team_ids,
        description=cmd.description,
    )
    uow.add(objective)
    return objective.id


def change_lead(cmd: c.ChangeObjectiveLead, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.change_lead(uow.actor, uow.get(Person, cmd.lead_id, "leadId"), cmd.reason)
    return objective.id


def add_contributor(cmd: c.AddContributor, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.add_contributor(uow.actor, uow.get(Person, cmd.person_id, "personId"))
    return objective.id


def remove_contributor(cmd: c.RemoveContributor, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.remove_contributor(uow.actor, cmd.person_id)
    return objective.id


def align_objective(cmd: c.AlignObjective, uow: UnitOfWork) -> UUID:
    check_one_parent(cmd.parent_objective_id, cmd.parent_key_result_id)
    objective = open_objective(uow, cmd.objective_id)
    if cmd.parent_key_result_id is not None:
        key_result = uow.get(KeyResult, cmd.parent_key_result_id, "parentKeyResultId")
        parent = uow.get(Objective, key_result.objective_id, "parentKeyResultId")
    else:
        assert cmd.parent_objective_id is not None
        parent = uow.get(Objective, cmd.parent_objective_id, "parentObjectiveId")
    check_no_cycle(objective.id, ancestors(uow, parent))
    objective.align_to(
        uow.actor,
        parent,
        cmd.parent_key_result_id,
        period=period_of(uow, objective),
        parent_period=period_of(uow, parent),
    )
    return objective.id


def ancestors(uow: UnitOfWork, parent: Objective) -> list[UUID]:
    """`parent` and the objectives above it, nearest first, each read through the unit of
    work so that the whole chain is in the command's read set (see `ancestor_ids`)."""

    def above(node: Objective) -> Objective | None:
        if node.aligned_to_objective_id is not None:
            return uow.get(Objective, node.aligned_to_objective_id, "parentId", checked=True)
        if node.aligned_to_key_result_id is not None:
            key_result = uow.get(KeyResult, node.aligned_to_key_result_id, "parentId", checked=True)
            return uow.get(Objective, key_result.objective_id, "parentId", checked=True)
        return None

    return ancestor_ids(parent, above)


def unalign_objective(cmd: c.UnalignObjective, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.unalign(uow.actor, cmd.reason)
    return objective.id


def add_initiative(cmd: c.AddInitiative, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    return objective.add_initiative(uow.actor, cmd.title, uow.get(Person, cmd.owner_id, "ownerId"))


def set_initiative_status(cmd: c.SetInitiativeStatus, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.set_initiative_status(uow.actor, cmd.initiative_id, cmd.status)
    return objective.id


def activate_objective(cmd: c.ActivateObjective, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.activate(uow.actor)
    return objective.id


def close_objective(cmd: c.CloseObjective, uow: UnitOfWork) -> UUID:
    """Grading belongs to the period's end, so it is allowed in a closed period too."""
    objective = uow.get(Objective, cmd.objective_id, "objectiveId")
    objective.close(uow.actor, cmd.score, cmd.retrospective)
    return objective.id


def reopen_objective(cmd: c.ReopenObjective, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.reopen(uow.actor, cmd.reason)
    return objective.id


def archive_objective(cmd: c.ArchiveObjective, uow: UnitOfWork) -> UUID:
    objective = open_objective(uow, cmd.objective_id)
    objective.archive(uow.actor)
    return objective.id
