"""A command may read a cached copy that another thread is still bringing up to date; it
never saves, nor refuses, on the strength of that copy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from uuid import UUID

import pytest

from okr.bootstrap import open_application
from okr.domain.commands import ActivateObjective, ClosePeriod, RecordCheckIn
from okr.domain.errors import PeriodClosed
from okr.domain.key_result import KeyResult
from okr.infra.event_store import DatabaseUrl
from okr.services.application import OkrApplication
from okr.services.context import CommandResult
from tests.world import WEEK_ONE, World


@pytest.fixture
def other(database_url: DatabaseUrl) -> Iterator[OkrApplication]:
    """A second process on the same store."""
    app = open_application(database_url)
    yield app
    app.close()


def held_update(app: OkrApplication, aggregate_id: UUID, seconds: float) -> None:
    """Make `app`'s cached copy of `aggregate_id` look mid-update for a moment: the lock
    that guards bringing it up to date is held, as by a busy thread."""
    lock = app.repository._use_fastforward_lock(aggregate_id)
    lock.acquire()

    def release() -> None:
        lock.release()
        app.repository._disuse_fastforward_lock(aggregate_id)

    threading.Timer(seconds, release).start()


def check_in(app: OkrApplication, world: World, key_result: UUID) -> CommandResult:
    command = RecordCheckIn(key_result, value=4, confidence=6, effective_at=WEEK_ONE)
    return app.handle(world.ctx, command)


def test_a_refusal_is_decided_again_on_fresh_state(
    store_app: OkrApplication, other: OkrApplication
) -> None:
    world = World.build(store_app)
    objective = world.objective()
    key_result = world.key_result(objective)
    store_app.repository.get(objective)
    other.handle(world.ctx, ActivateObjective(objective))
    held_update(store_app, objective, 0.2)

    result = check_in(store_app, world, key_result)

    assert result.attempts == 2
    assert len(store_app.load(world.ctx, KeyResult, key_result).check_ins) == 1


def test_a_stale_open_period_never_lets_a_check_in_through(
    store_app: OkrApplication, other: OkrApplication
) -> None:
    world = World.build(store_app)
    key_result = world.active_key_result()
    world.check_in(key_result, 3)
    other.handle(world.ctx, ClosePeriod(world.quarter))
    held_update(store_app, world.quarter, 0.2)

    with pytest.raises(PeriodClosed):
        check_in(store_app, world, key_result)

    assert len(store_app.load(world.ctx, KeyResult, key_result).check_ins) == 1
