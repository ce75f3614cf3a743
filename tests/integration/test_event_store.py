"""The same stories on real SQLite and real PostgreSQL."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from uuid import UUID

import pytest

from okr.bootstrap import open_application
from okr.domain.clock import using_clock
from okr.domain.commands import ChangeObjectiveLead, RecordCheckIn, RegisterPerson
from okr.domain.errors import ConcurrencyConflict, InvalidInput
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.infra.event_store import DatabaseUrl
from okr.services.application import OkrApplication
from tests.concurrency import run_together
from tests.world import WEEK_ONE, World

MONDAY = datetime(2026, 10, 5, 9, tzinfo=UTC)


@pytest.fixture
def reopen(database_url: DatabaseUrl) -> Iterator[Callable[[], OkrApplication]]:
    """Open further applications on the same store, as other processes would."""
    opened: list[OkrApplication] = []

    def open_app() -> OkrApplication:
        opened.append(open_application(database_url))
        return opened[-1]

    yield open_app
    for app in opened:
        app.close()


def test_a_story_survives_reopening_the_store(
    store_app: OkrApplication, reopen: Callable[[], OkrApplication]
) -> None:
    world = World.build(store_app)
    with using_clock(lambda: MONDAY):
        objective_id = world.objective()
        key_result = world.key_result(objective_id)
        world.check_in(key_result, 8)
        world.app.handle(world.ctx, ChangeObjectiveLead(objective_id, world.bo, "handover"))

    later = reopen()
    objective = later.load(world.ctx, Objective, objective_id)
    assert (objective.lead_id, objective.key_result_ids) == (world.bo, [key_result])
    check_in = later.load(world.ctx, KeyResult, key_result).check_ins[0]
    assert (check_in.value, check_in.effective_at, check_in.recorded_at) == (8, WEEK_ONE, MONDAY)
    assert [e.type for e in later.history(world.ctx, objective_id)] == [
        "Objective.Created",
        "Objective.KeyResultAdded",
        "Objective.Activated",
        "Objective.LeadChanged",
    ]
    assert later.load(world.ctx, Objective, objective_id, version=2).lead_id == world.ann


def test_the_log_has_one_gap_free_global_order(store_app: OkrApplication) -> None:
    world = World.build(store_app)
    world.key_result(world.objective())

    notifications = store_app.recorder.select_notifications(1, 1000)

    assert [n.id for n in notifications] == list(range(1, world.event_count + 1))
    assert notifications[0].topic == "okr.domain.organization:Organization.Created"


def test_a_refused_command_records_nothing(store_app: OkrApplication) -> None:
    world = World.build(store_app)
    key_result = world.active_key_result()

    world.refuse(InvalidInput, lambda: world.check_in(key_result, math.nan))


def test_an_idempotency_key_holds_across_processes(
    store_app: OkrApplication, reopen: Callable[[], OkrApplication]
) -> None:
    world = World.build(store_app)
    key_result = world.active_key_result()
    keyed = world.ctx.with_key("retry-me")
    check_in = RecordCheckIn(key_result, value=5, confidence=5, effective_at=WEEK_ONE)
    first = store_app.handle(keyed, check_in)

    again = reopen().handle(keyed, check_in)

    assert (again.id, again.repeated) == (first.id, True)
    assert len(store_app.load(world.ctx, KeyResult, key_result).check_ins) == 1


def test_concurrent_check_ins_are_all_recorded(
    store_app: OkrApplication, reopen: Callable[[], OkrApplication]
) -> None:
    world = World.build(store_app)
    key_result = world.active_key_result()
    writers = [reopen() for _ in range(4)]

    def writer(app: OkrApplication, base: int) -> Callable[[], None]:
        def job() -> None:
            for n in range(5):
                app.handle(
                    world.ctx,
                    RecordCheckIn(key_result, value=base + n, confidence=5, effective_at=WEEK_ONE),
                )

        return job

    errors = run_together([writer(app, 10 * i) for i, app in enumerate(writers)])

    assert errors == []
    recorded = store_app.load(world.ctx, KeyResult, key_result)
    assert sorted(c.value for c in recorded.check_ins) == sorted(
        10 * i + n for i in range(4) for n in range(5)
    )
    assert recorded.version == 1 + 20


def test_concurrent_lead_changes_conflict_instead_of_overwriting(
    store_app: OkrApplication, reopen: Callable[[], OkrApplication]
) -> None:
    world = World.build(store_app)
    objective_id = world.objective()
    people = [store_app.handle(world.ctx, RegisterPerson(f"Lead {n}")).id for n in range(4)]
    apps = [reopen() for _ in people]

    def change(app: OkrApplication, lead: UUID) -> Callable[[], None]:
        def job() -> None:
            app.handle(world.ctx, ChangeObjectiveLead(objective_id, lead, "rota"))

        return job

    errors = run_together([change(app, lead) for app, lead in zip(apps, people, strict=True)])

    assert all(isinstance(e, ConcurrencyConflict) for e in errors)
    history = store_app.history(world.ctx, objective_id)
    changes = [e for e in history if e.type == "Objective.LeadChanged"]
    assert len(changes) == len(people) - len(errors) >= 1
    final = store_app.load(world.ctx, Objective, objective_id)
    assert final.lead_id == changes[-1].payload["lead_id"]


@pytest.mark.postgres
def test_postgres_keeps_the_table_lock_with_a_finite_timeout(postgres_database: str) -> None:
    app = open_application(DatabaseUrl(postgres_database))
    try:
        datastore = app.factory.datastore  # type: ignore[attr-defined]
        assert (datastore.lock_timeout, datastore.enable_db_functions) == (5, False)
    finally:
        app.close()
