"""Commands save in one transaction, retry safe conflicts and honour idempotency keys."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import pytest

from okr.domain.commands import (
    ActivateObjective,
    AddContributor,
    AlignObjective,
    ChangeObjectiveLead,
    ClosePeriod,
    RecordCheckIn,
    RegisterPerson,
)
from okr.domain.errors import (
    ConcurrencyConflict,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    PeriodClosed,
)
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.infra.appenders import conditional_append
from okr.services.application import OkrApplication
from okr.services.context import Context
from tests.world import WEEK_ONE, World


class RacingApplication(OkrApplication):
    """Lets another writer commit just before this application's next save."""

    def __init__(self, env: Any, append_for: Any) -> None:
        super().__init__(env, append_for=append_for)
        self.racer: Any = None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        racer, self.racer = self.racer, None
        if racer is not None:
            racer()
        return super().save(*objs, **kwargs)


@pytest.fixture
def racing() -> World:
    app = RacingApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, append_for=conditional_append
    )
    return World.build(app)


def test_a_key_returns_the_first_result_and_records_nothing_more(world: World) -> None:
    key_result = world.active_key_result()
    keyed = world.ctx.with_key("check-in-2026-10-05")

    first = world.app.handle(
        keyed, RecordCheckIn(key_result, value=8, confidence=7, effective_at=WEEK_ONE)
    )
    events = world.event_count
    again = world.app.handle(
        keyed, RecordCheckIn(key_result, value=8, confidence=7, effective_at=WEEK_ONE)
    )

    assert (again.id, again.repeated, again.position) == (first.id, True, None)
    assert world.event_count == events
    assert len(world.app.load(world.ctx, KeyResult, key_result).check_ins) == 1


def test_a_retry_may_spell_its_arguments_differently(world: World) -> None:
    key_result = world.active_key_result()
    keyed = world.ctx.with_key("spelled-twice")
    in_utc = WEEK_ONE
    in_paris = WEEK_ONE.astimezone(timezone(timedelta(hours=2)))

    first = world.app.handle(
        keyed, RecordCheckIn(key_result, value=8, confidence=7, effective_at=in_utc)
    )
    again = world.app.handle(
        keyed, RecordCheckIn(key_result, confidence=7, value=8, effective_at=in_paris, note="")
    )

    assert (again.id, again.repeated) == (first.id, True)


def test_two_actors_keys_never_meet(world: World) -> None:
    other_actor = Context(world.ctx.organization_id, "integration:bot", "shared-key")

    mine = world.app.handle(world.ctx.with_key("shared-key"), RegisterPerson("Cy")).id
    theirs = world.app.handle(other_actor, RegisterPerson("Dee")).id

    assert mine != theirs


def test_a_key_reused_for_another_command_is_refused(world: World) -> None:
    key_result = world.active_key_result()
    keyed = world.ctx.with_key("k1")
    world.app.handle(keyed, RecordCheckIn(key_result, value=8, confidence=7, effective_at=WEEK_ONE))

    error = world.refuse(
        IdempotencyKeyReused,
        lambda: world.app.handle(
            keyed, RecordCheckIn(key_result, value=9, confidence=7, effective_at=WEEK_ONE)
        ),
    )
    assert error.field == "idempotencyKey"


def test_keys_belong_to_their_organization(world: World) -> None:
    other = World.build(world.app, "Globex")

    mine = world.app.handle(world.ctx.with_key("same"), RegisterPerson("Cy")).id
    theirs = other.app.handle(other.ctx.with_key("same"), RegisterPerson("Cy")).id

    assert mine != theirs


def test_an_empty_or_huge_key_is_refused(world: World) -> None:
    world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx.with_key(""), RegisterPerson("Cy"))
    )
    world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx.with_key("k" * 201), RegisterPerson("Cy"))
    )


def test_a_concurrent_check_in_is_retried(racing: World) -> None:
    app = racing.app
    assert isinstance(app, RacingApplication)
    key_result = racing.active_key_result()
    app.racer = lambda: racing.check_in(key_result, 9)

    racing.check_in(key_result, 8)

    values = [c.value for c in app.load(racing.ctx, KeyResult, key_result).check_ins]
    assert values == [9, 8]


def test_a_concurrent_lead_change_is_a_conflict(racing: World) -> None:
    app = racing.app
    assert isinstance(app, RacingApplication)
    objective_id = racing.objective()
    app.racer = lambda: app.handle(racing.ctx, AddContributor(objective_id, racing.bo))

    with pytest.raises(ConcurrencyConflict):
        app.handle(racing.ctx, ChangeObjectiveLead(objective_id, racing.bo, "handover"))

    objective = app.load(racing.ctx, Objective, objective_id)
    assert (objective.lead_id, objective.contributor_ids) == (racing.ann, [racing.bo])


def test_a_concurrent_retry_with_the_same_key_returns_the_first_result(racing: World) -> None:
    app = racing.app
    assert isinstance(app, RacingApplication)
    objective_id = racing.objective()
    keyed = racing.ctx.with_key("lead-change-1")
    first: list[Any] = []
    app.racer = lambda: first.append(
        app.handle(keyed, ChangeObjectiveLead(objective_id, racing.bo, "handover"))
    )

    again = app.handle(keyed, ChangeObjectiveLead(objective_id, racing.bo, "handover"))

    assert again.id == first[0].id
    assert again.repeated
    types = [e.type for e in app.history(racing.ctx, objective_id)]
    assert types.count("Objective.LeadChanged") == 1


def test_another_organization_cannot_touch_or_read_my_objective(world: World) -> None:
    objective_id = world.objective()
    other = World.build(world.app, "Globex")

    other.refuse(NotFound, lambda: other.app.handle(other.ctx, ActivateObjective(objective_id)))
    with pytest.raises(NotFound):
        other.app.load(other.ctx, Objective, objective_id)
    with pytest.raises(NotFound):
        other.app.history(other.ctx, objective_id)


def test_an_unknown_id_is_not_found(world: World) -> None:
    stranger = Context(world.ctx.organization_id, "system:test")

    error = world.refuse(
        NotFound, lambda: world.app.handle(stranger, ActivateObjective(world.team))
    )
    assert error.field == "objectiveId"


def test_a_command_whose_checked_period_closed_meanwhile_is_decided_again(
    racing: World,
) -> None:
    app = racing.app
    assert isinstance(app, RacingApplication)
    objective_id = racing.objective()
    app.racer = lambda: app.handle(racing.ctx, ClosePeriod(racing.quarter))

    with pytest.raises(PeriodClosed):
        app.handle(racing.ctx, ChangeObjectiveLead(objective_id, racing.bo, "handover"))

    assert app.load(racing.ctx, Objective, objective_id).lead_id == racing.ann


def test_a_command_whose_checked_parent_changed_meanwhile_runs_again_and_lands(
    racing: World,
) -> None:
    app = racing.app
    assert isinstance(app, RacingApplication)
    parent, child = racing.directional(), racing.objective()
    app.racer = lambda: app.handle(racing.ctx, AddContributor(parent, racing.bo))

    result = app.handle(racing.ctx, AlignObjective(child, parent_objective_id=parent))

    assert result.attempts == 2
    assert app.load(racing.ctx, Objective, child).aligned_to_objective_id == parent
