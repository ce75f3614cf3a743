"""Objectives keep one active lead, fit their period, align without cycles and obey policy."""

from __future__ import annotations

import pytest

from okr.domain.commands import (
    AlignObjective,
    ChangeObjectiveLead,
    ChangePersonalObjectivePolicy,
    DeactivatePerson,
)
from okr.domain.errors import (
    AlignmentCycle,
    InvalidAlignment,
    InvalidInput,
    InvalidLead,
    InvalidPeriodSpan,
    NotFound,
    PolicyViolation,
)
from okr.domain.objective import Objective
from okr.domain.values import ObjectiveKind, ObjectiveLevel, PersonalObjectivePolicy
from tests.world import World


def test_an_objective_is_created_with_its_one_lead(world: World) -> None:
    objective_id = world.objective()

    objective = world.app.load(world.ctx, Objective, objective_id)
    assert objective.lead_id == world.ann
    assert objective.title == "Make deploys boring"
    assert objective.team_ids == (world.team,)


def test_a_person_who_left_cannot_lead(world: World) -> None:
    world.app.handle(world.ctx, DeactivatePerson(world.bo, "moved on"))

    error = world.refuse(InvalidLead, lambda: world.objective(lead_id=world.bo))
    assert error.field == "leadId"


def test_a_person_of_another_organization_cannot_lead(world: World) -> None:
    other = World.build(world.app, "Globex")

    world.refuse(NotFound, lambda: world.objective(lead_id=other.ann))


def test_changing_the_lead_records_the_reason(world: World) -> None:
    objective_id = world.objective()

    world.app.handle(world.ctx, ChangeObjectiveLead(objective_id, world.bo, "Ann goes on leave"))

    objective = world.app.load(world.ctx, Objective, objective_id)
    assert objective.lead_id == world.bo
    last = world.app.history(world.ctx, objective_id)[-1]
    assert last.type == "Objective.LeadChanged"
    assert last.payload == {
        "lead_id": world.bo,
        "previous_lead_id": world.ann,
        "reason": "Ann goes on leave",
    }


def test_changing_the_lead_needs_a_reason_and_an_active_person(world: World) -> None:
    objective_id = world.objective()
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, ChangeObjectiveLead(objective_id, world.bo, " ")),
    )
    world.app.handle(world.ctx, DeactivatePerson(world.bo))
    world.refuse(
        InvalidLead,
        lambda: world.app.handle(world.ctx, ChangeObjectiveLead(objective_id, world.bo, "cover")),
    )


def test_an_executable_objective_spans_a_quarter_at_most(world: World) -> None:
    world.objective(period_id=world.quarter)

    error = world.refuse(InvalidPeriodSpan, lambda: world.objective(period_id=world.year))
    assert error.code == "INVALID_PERIOD_SPAN"


def test_a_directional_objective_spans_a_year_at_least(world: World) -> None:
    world.directional()

    world.refuse(
        InvalidPeriodSpan,
        lambda: world.objective(kind=ObjectiveKind.DIRECTIONAL, period_id=world.quarter),
    )


def test_an_executable_objective_aligns_to_a_directional_one(world: World) -> None:
    parent = world.directional()
    child = world.objective()

    world.app.handle(world.ctx, AlignObjective(child, parent_objective_id=parent))

    assert world.app.load(world.ctx, Objective, child).aligned_to_objective_id == parent


def test_an_executable_objective_aligns_to_a_key_result(world: World) -> None:
    parent = world.objective(title="Ship faster")
    key_result = world.key_result(parent)
    child = world.objective()

    world.app.handle(world.ctx, AlignObjective(child, parent_key_result_id=key_result))

    aligned = world.app.load(world.ctx, Objective, child)
    assert aligned.aligned_to_key_result_id == key_result
    assert aligned.aligned_to_objective_id is None


def test_alignment_refuses_wrong_directions(world: World) -> None:
    directional = world.directional()
    other_directional = world.directional()
    executable = world.objective()
    another = world.objective(title="Cut costs")

    world.refuse(
        InvalidAlignment,
        lambda: world.app.handle(
            world.ctx, AlignObjective(directional, parent_objective_id=other_directional)
        ),
    )
    world.refuse(
        InvalidAlignment,
        lambda: world.app.handle(
            world.ctx, AlignObjective(executable, parent_objective_id=another)
        ),
    )
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, AlignObjective(executable)),
    )


def test_alignment_stays_within_one_organization(world: World) -> None:
    other = World.build(world.app, "Globex")
    foreign_parent = other.directional()
    child = world.objective()

    world.refuse(
        NotFound,
        lambda: world.app.handle(
            world.ctx, AlignObjective(child, parent_objective_id=foreign_parent)
        ),
    )


def test_alignment_refuses_cycles(world: World) -> None:
    first = world.objective(title="First")
    first_kr = world.key_result(first)
    second = world.objective(title="Second")
    second_kr = world.key_result(second)
    world.app.handle(world.ctx, AlignObjective(second, parent_key_result_id=first_kr))

    world.refuse(
        AlignmentCycle,
        lambda: world.app.handle(world.ctx, AlignObjective(first, parent_key_result_id=second_kr)),
    )
    world.refuse(
        AlignmentCycle,
        lambda: world.app.handle(world.ctx, AlignObjective(first, parent_key_result_id=first_kr)),
    )


@pytest.mark.parametrize("policy", [PersonalObjectivePolicy.WARN, PersonalObjectivePolicy.ALLOW])
def test_personal_objectives_are_allowed_unless_disallowed(
    world: World, policy: PersonalObjectivePolicy
) -> None:
    world.app.handle(world.ctx, ChangePersonalObjectivePolicy(policy))

    objective_id = world.objective(level=ObjectiveLevel.PERSONAL, team_ids=())

    assert world.app.load(world.ctx, Objective, objective_id).level is ObjectiveLevel.PERSONAL


def test_personal_objectives_are_refused_under_disallow(world: World) -> None:
    world.app.handle(world.ctx, ChangePersonalObjectivePolicy(PersonalObjectivePolicy.DISALLOW))

    error = world.refuse(
        PolicyViolation, lambda: world.objective(level=ObjectiveLevel.PERSONAL, team_ids=())
    )
    assert error.field == "level"


def test_a_team_objective_names_its_teams(world: World) -> None:
    world.refuse(InvalidInput, lambda: world.objective(team_ids=()))
    world.refuse(InvalidInput, lambda: world.objective(team_ids=(world.team, world.team)))
