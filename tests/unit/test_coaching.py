"""Coaching advice is a pure function of state: findings, never errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from okr.domain.clock import using_clock
from okr.domain.coaching import (
    advise_objective,
    advise_period,
    describes_output,
    key_result_facts,
    objective_facts,
)
from okr.domain.commands import ActivateObjective, AlignObjective, DeactivatePerson, RecordCheckIn
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Organization, Person
from okr.domain.values import Metric, ObjectiveLevel
from tests.world import World

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def advice(world: World, objective_id: UUID, now: datetime = NOW) -> set[str]:
    objective = world.app.load(world.ctx, Objective, objective_id)
    key_results = [world.app.load(world.ctx, KeyResult, k) for k in objective.key_result_ids]
    policy = world.app.load(world.ctx, Organization, world.ctx.organization_id).personal_objectives
    lead = world.app.load(world.ctx, Person, objective.lead_id)
    findings = advise_objective(
        objective_facts(objective),
        [key_result_facts(k) for k in key_results],
        policy,
        now,
        lead_active=lead.active,
    )
    return {f.code for f in findings}


def test_a_well_formed_aligned_objective_gets_no_advice(world: World) -> None:
    parent = world.directional()
    objective_id = world.objective()
    world.key_result(objective_id)
    world.app.handle(world.ctx, AlignObjective(objective_id, parent_objective_id=parent))

    assert advice(world, objective_id) == set()


def test_no_key_results_and_no_alignment_are_advised_on(world: World) -> None:
    assert advice(world, world.objective()) == {"NO_KEY_RESULTS", "UNALIGNED"}


def test_more_than_five_key_results_is_too_many(world: World) -> None:
    objective_id = world.objective()
    for n in range(6):
        world.key_result(objective_id, title=f"Lead time falls {n}")

    assert "TOO_MANY_KEY_RESULTS" in advice(world, objective_id)


def test_outputs_are_told_apart_from_outcomes() -> None:
    assert describes_output("Launch the new pricing page")
    assert describes_output("Read 10 books")
    assert describes_output("Hire an agency")
    assert describes_output("Complete a course on negotiation")
    assert not describes_output("Upgrade 500 members from Tier 2 to Tier 1")
    assert not describes_output("Churn falls from 5% to 3%")


def test_binary_key_results_on_team_objectives_are_advised_on(world: World) -> None:
    objective_id = world.objective()
    world.key_result(objective_id, title="Hire an agency", metric=Metric.BINARY, start=0, target=1)

    assert {"BINARY_ON_TEAM_OBJECTIVE", "OUTPUT_KEY_RESULT"} <= advice(world, objective_id)


def test_personal_objectives_are_advised_on_under_warn(world: World) -> None:
    objective_id = world.objective(level=ObjectiveLevel.PERSONAL, team_ids=())

    assert "PERSONAL_OBJECTIVE" in advice(world, objective_id)


def test_an_active_key_result_without_check_ins_for_two_weeks_is_stale(world: World) -> None:
    objective_id = world.objective()
    key_result = world.key_result(objective_id)
    world.app.handle(world.ctx, ActivateObjective(objective_id))
    created = world.app.load(world.ctx, KeyResult, key_result).created_on

    assert "STALE_CHECK_IN" not in advice(world, objective_id, created + timedelta(days=14))
    assert "STALE_CHECK_IN" in advice(world, objective_id, created + timedelta(days=15))


def test_leading_more_than_three_objectives_is_overload(world: World) -> None:
    ids = [world.objective(title=f"Objective {n}") for n in range(4)]
    objectives = [objective_facts(world.app.load(world.ctx, Objective, i)) for i in ids]

    assert advise_period(objectives[:3]) == []
    findings = advise_period(objectives)
    assert [(f.code, f.subject_id) for f in findings] == [("LEAD_OVERLOAD", world.ann)]


@pytest.mark.parametrize(("days_ago", "stale"), [(150, True), (13, False)])
def test_staleness_counts_from_the_day_a_check_in_is_about_not_when_it_was_recorded(
    world: World, days_ago: int, stale: bool
) -> None:
    objective_id = world.directional()
    key_result = world.key_result(objective_id)
    world.activate(objective_id)
    today = datetime(2026, 12, 1, tzinfo=UTC)
    effective_at = today - timedelta(days=days_ago)
    with using_clock(lambda: today):
        world.app.handle(
            world.ctx, RecordCheckIn(key_result, value=6, confidence=7, effective_at=effective_at)
        )

    assert ("STALE_CHECK_IN" in advice(world, objective_id, today + timedelta(hours=1))) is stale


def test_an_objective_whose_lead_left_is_flagged(world: World) -> None:
    led_by_bo = world.objective(lead_id=world.bo)
    led_by_ann = world.objective(title="Make builds boring")

    world.app.handle(world.ctx, DeactivatePerson(world.bo, "moved on"))

    assert world.app.load(world.ctx, Person, world.bo).active is False
    assert "LEAD_INACTIVE" in advice(world, led_by_bo)
    assert "LEAD_INACTIVE" not in advice(world, led_by_ann)


def test_each_finding_names_the_kind_of_thing_it_is_about(world: World) -> None:
    ids = [world.objective(title=f"Objective {n}") for n in range(4)]
    key_result = world.key_result(ids[0], title="Launch the new pipeline")
    world.app.handle(world.ctx, ActivateObjective(ids[0]))
    objective = objective_facts(world.app.load(world.ctx, Objective, ids[0]))
    policy = world.app.load(world.ctx, Organization, world.ctx.organization_id).personal_objectives
    key_results = [key_result_facts(world.app.load(world.ctx, KeyResult, key_result))]
    later = NOW + timedelta(days=60)

    findings = advise_objective(objective, key_results, policy, later, lead_active=True)
    overload = advise_period(
        [objective_facts(world.app.load(world.ctx, Objective, i)) for i in ids]
    )

    kinds = {(f.code, f.subject_type, f.subject_id) for f in [*findings, *overload]}
    assert kinds == {
        ("UNALIGNED", "Objective", ids[0]),
        ("OUTPUT_KEY_RESULT", "KeyResult", key_result),
        ("STALE_CHECK_IN", "KeyResult", key_result),
        ("LEAD_OVERLOAD", "Person", world.ann),
    }
