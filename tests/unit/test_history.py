"""Any aggregate can be loaded as of a version or a time, and its events listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from okr.domain.clock import using_clock
from okr.domain.commands import ChangeObjectiveLead
from okr.domain.errors import NotFound
from okr.domain.objective import Objective
from tests.world import World

MONDAY = datetime(2026, 10, 5, 9, tzinfo=UTC)


def test_an_objective_as_of_a_version_and_a_time(world: World) -> None:
    with using_clock(lambda: MONDAY):
        objective_id = world.objective()
    with using_clock(lambda: MONDAY + timedelta(days=3)):
        world.app.handle(world.ctx, ChangeObjectiveLead(objective_id, world.bo, "Ann moves team"))

    assert world.app.load(world.ctx, Objective, objective_id, version=1).lead_id == world.ann
    assert world.app.load(world.ctx, Objective, objective_id).lead_id == world.bo
    on_tuesday = world.app.load(world.ctx, Objective, objective_id, at=MONDAY + timedelta(days=1))
    assert on_tuesday.lead_id == world.ann
    assert on_tuesday.version == 1


def test_before_it_existed_an_objective_is_not_found(world: World) -> None:
    with using_clock(lambda: MONDAY):
        objective_id = world.objective()

    with pytest.raises(NotFound):
        world.app.load(world.ctx, Objective, objective_id, at=MONDAY - timedelta(seconds=1))


def test_the_events_of_an_objective_name_their_actor_and_time(world: World) -> None:
    lead_changer = world.ctx.__class__(world.ctx.organization_id, f"person:{world.ann}")
    with using_clock(lambda: MONDAY):
        objective_id = world.objective()
        world.app.handle(
            lead_changer, ChangeObjectiveLead(objective_id, world.bo, "Ann moves team")
        )

    events = world.app.history(world.ctx, objective_id)

    assert [(e.version, e.type, e.actor, e.occurred_at) for e in events] == [
        (1, "Objective.Created", "system:test", MONDAY),
        (2, "Objective.LeadChanged", f"person:{world.ann}", MONDAY),
    ]
    assert all(e.organization_id == world.ctx.organization_id for e in events)
