"""Nothing changes on a closed or archived objective, or in a closed period, until reopened."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import pytest

from okr.domain.commands import (
    ActivateObjective,
    AddContributor,
    AddInitiative,
    ArchiveObjective,
    ChangeObjectiveLead,
    CloseObjective,
    ClosePeriod,
    ReopenObjective,
    ReopenPeriod,
    ReviseKeyResultTarget,
    SetInitiativeStatus,
)
from okr.domain.errors import InvalidTransition, ObjectiveLocked, PeriodClosed
from okr.domain.objective import Objective
from okr.domain.values import InitiativeStatus, ObjectiveStatus
from tests.world import World

Change = Callable[[World, UUID, UUID], object]

CHANGES: dict[str, Change] = {
    "change lead": lambda w, o, _: w.app.handle(w.ctx, ChangeObjectiveLead(o, w.bo, "handover")),
    "add contributor": lambda w, o, _: w.app.handle(w.ctx, AddContributor(o, w.bo)),
    "add key result": lambda w, o, _: w.key_result(o, title="Error budget is kept"),
    "revise target": lambda w, _, k: w.app.handle(
        w.ctx, ReviseKeyResultTarget(k, 3, "slower vendor")
    ),
    "check in": lambda w, _, k: w.check_in(k, 6),
    "add initiative": lambda w, o, _: w.app.handle(w.ctx, AddInitiative(o, "Canary deploys", w.bo)),
}


def active_objective(world: World) -> tuple[UUID, UUID]:
    objective_id = world.objective()
    key_result = world.key_result(objective_id)
    world.app.handle(world.ctx, ActivateObjective(objective_id))
    return objective_id, key_result


def test_an_objective_moves_from_draft_to_active_to_closed_and_back(world: World) -> None:
    objective_id, _ = active_objective(world)
    world.app.handle(world.ctx, CloseObjective(objective_id, 0.7, "good quarter"))
    world.app.handle(world.ctx, ReopenObjective(objective_id, "graded too early"))

    reopened = world.app.load(world.ctx, Objective, objective_id)
    assert reopened.status is ObjectiveStatus.ACTIVE
    assert reopened.score is None
    types = [e.type for e in world.app.history(world.ctx, objective_id)]
    assert types[-3:] == ["Objective.Activated", "Objective.Closed", "Objective.Reopened"]


def test_an_archived_draft_reopens_as_a_draft(world: World) -> None:
    objective_id = world.objective()
    world.app.handle(world.ctx, ArchiveObjective(objective_id))

    world.app.handle(world.ctx, ReopenObjective(objective_id, "archived by mistake"))

    assert world.app.load(world.ctx, Objective, objective_id).status is ObjectiveStatus.DRAFT


def test_steps_outside_the_lifecycle_are_refused(world: World) -> None:
    objective_id = world.objective()

    world.refuse(
        InvalidTransition, lambda: world.app.handle(world.ctx, CloseObjective(objective_id, 1))
    )
    world.refuse(
        InvalidTransition, lambda: world.app.handle(world.ctx, ReopenObjective(objective_id, "why"))
    )
    world.app.handle(world.ctx, ArchiveObjective(objective_id))
    world.refuse(
        InvalidTransition, lambda: world.app.handle(world.ctx, ArchiveObjective(objective_id))
    )


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_closed_objective_refuses_changes_until_reopened(world: World, change: Change) -> None:
    objective_id, key_result = active_objective(world)
    world.app.handle(world.ctx, CloseObjective(objective_id, 0.5, ""))

    error = world.refuse(ObjectiveLocked, lambda: change(world, objective_id, key_result))
    assert error.code == "OBJECTIVE_LOCKED"

    world.app.handle(world.ctx, ReopenObjective(objective_id, "one more push"))
    change(world, objective_id, key_result)


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_an_archived_objective_refuses_changes(world: World, change: Change) -> None:
    objective_id, key_result = active_objective(world)
    world.app.handle(world.ctx, ArchiveObjective(objective_id))

    world.refuse(ObjectiveLocked, lambda: change(world, objective_id, key_result))


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_closed_period_refuses_changes_until_reopened(world: World, change: Change) -> None:
    objective_id, key_result = active_objective(world)
    world.app.handle(world.ctx, ClosePeriod(world.quarter))

    error = world.refuse(PeriodClosed, lambda: change(world, objective_id, key_result))
    assert error.code == "PERIOD_CLOSED"

    world.app.handle(world.ctx, ReopenPeriod(world.quarter, "late check-ins"))
    change(world, objective_id, key_result)


def test_a_closed_period_takes_grading_but_no_other_change(world: World) -> None:
    objective_id, _ = active_objective(world)
    world.app.handle(world.ctx, ClosePeriod(world.quarter))

    world.refuse(PeriodClosed, world.objective)
    world.app.handle(world.ctx, CloseObjective(objective_id, 0.7, "most of it"))
    world.refuse(
        PeriodClosed,
        lambda: world.app.handle(world.ctx, ReopenObjective(objective_id, "regrade")),
    )
    world.refuse(InvalidTransition, lambda: world.app.handle(world.ctx, ClosePeriod(world.quarter)))

    graded = world.app.load(world.ctx, Objective, objective_id)
    assert (graded.status, graded.score, graded.retrospective) == (
        ObjectiveStatus.CLOSED,
        0.7,
        "most of it",
    )


def test_initiatives_have_an_owner_and_a_status(world: World) -> None:
    objective_id, _ = active_objective(world)
    initiative_id = world.app.handle(world.ctx, AddInitiative(objective_id, "Canary", world.bo)).id

    world.app.handle(
        world.ctx, SetInitiativeStatus(objective_id, initiative_id, InitiativeStatus.IN_PROGRESS)
    )

    initiative = world.app.load(world.ctx, Objective, objective_id).initiatives[initiative_id]
    assert (initiative.owner_id, initiative.status) == (world.bo, InitiativeStatus.IN_PROGRESS)
