"""Rules that span aggregates hold under concurrency: each race is fired 50 times, by two
threads released by one barrier, on real SQLite and real PostgreSQL. The racing commands go
through one application (group commit) or through two (two processes on one store)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from uuid import UUID

import pytest

from okr.bootstrap import open_application
from okr.domain.commands import (
    AlignObjective,
    CloseObjective,
    ClosePeriod,
    Command,
    CreatePeriod,
    RecordCheckIn,
)
from okr.domain.errors import (
    AlignmentCycle,
    InvalidInput,
    ObjectiveLocked,
    PeriodClosed,
)
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.infra.event_store import DatabaseUrl
from okr.services.application import OkrApplication
from okr.services.context import CommandResult
from tests.concurrency import race
from tests.world import WEEK_ONE, World

ROUNDS = 50


@pytest.fixture(params=["one application", "two applications"])
def apps(
    request: pytest.FixtureRequest, store_app: OkrApplication, database_url: DatabaseUrl
) -> Iterator[tuple[OkrApplication, OkrApplication]]:
    """The two racers' applications: the same one, or a second one as another process."""
    if request.param == "one application":
        yield store_app, store_app
        return
    other = open_application(database_url)
    yield store_app, other
    other.close()


def sender(app: OkrApplication, world: World, command: Command) -> Callable[[], CommandResult]:
    """A job that sends `command` through `app`."""
    return lambda: app.handle(world.ctx, command)


def check_in(app: OkrApplication, world: World, key_result: UUID) -> Callable[[], CommandResult]:
    command = RecordCheckIn(key_result, value=5, confidence=6, effective_at=WEEK_ONE)
    return sender(app, world, command)


def ancestors_of(app: OkrApplication, world: World, objective_id: UUID) -> list[UUID]:
    """The alignment chain above an objective, stopping if it meets itself."""
    chain: list[UUID] = []
    node = app.load(world.ctx, Objective, objective_id)
    while node.aligned_to_key_result_id is not None or node.aligned_to_objective_id is not None:
        parent = node.aligned_to_objective_id or (
            app.load(world.ctx, KeyResult, node.aligned_to_key_result_id).objective_id  # type: ignore[arg-type]
        )
        if parent in chain or parent == objective_id:
            chain.append(parent)
            break
        chain.append(parent)
        node = app.load(world.ctx, Objective, parent)
    return chain


def test_cross_alignments_never_make_a_cycle(
    apps: tuple[OkrApplication, OkrApplication],
) -> None:
    first, second = apps
    for _ in range(ROUNDS):
        world = World.build(first)
        a, b = world.objective(), world.objective(title="Halve the pager load")
        a_kr, b_kr = world.key_result(a), world.key_result(b)

        outcomes = race(
            [
                sender(first, world, AlignObjective(a, parent_key_result_id=b_kr)),
                sender(second, world, AlignObjective(b, parent_key_result_id=a_kr)),
            ]
        )

        aligned = [o for o in outcomes if isinstance(o, CommandResult)]
        refused = [o for o in outcomes if isinstance(o, AlignmentCycle)]
        assert (len(aligned), len(refused)) == (1, 1), outcomes
        assert a not in ancestors_of(first, world, a)
        assert b not in ancestors_of(first, world, b)


def positions_after_close(app: OkrApplication, world: World, key_result: UUID) -> list[int]:
    """The log positions of check-ins on `key_result` recorded after its period's close."""
    notifications = app.recorder.select_notifications(1, 100_000)
    closed_at = min(
        n.id
        for n in notifications
        if n.originator_id == world.quarter and n.topic.endswith("Period.Closed")
    )
    return [
        n.id
        for n in notifications
        if n.originator_id == key_result
        and n.topic.endswith("CheckInRecorded")
        and n.id > closed_at
    ]


def test_a_check_in_never_lands_after_its_period_closes(
    apps: tuple[OkrApplication, OkrApplication],
) -> None:
    first, second = apps
    landed = refused = 0
    for _ in range(ROUNDS):
        world = World.build(first)
        key_result = world.active_key_result()
        world.check_in(key_result, 4)

        outcomes = race(
            [
                check_in(first, world, key_result),
                sender(second, world, ClosePeriod(world.quarter)),
            ]
        )

        assert isinstance(outcomes[1], CommandResult), outcomes
        assert isinstance(outcomes[0], CommandResult | PeriodClosed), outcomes
        landed += isinstance(outcomes[0], CommandResult)
        refused += isinstance(outcomes[0], PeriodClosed)
        assert positions_after_close(first, world, key_result) == []
    assert landed + refused == ROUNDS


@pytest.mark.parametrize("closing", ["period", "objective"])
def test_check_ins_sent_after_an_acknowledged_close_are_refused(
    apps: tuple[OkrApplication, OkrApplication], closing: str
) -> None:
    """The first application has the period and the objective cached from earlier check-ins;
    the close goes through the second, so the cached copies are stale when the check-ins come."""
    server, other = apps
    for _ in range(ROUNDS // 5):
        world = World.build(server)
        objective = world.objective()
        key_results = [world.key_result(objective, title=f"Stream {n} flows") for n in range(8)]
        world.activate(objective)
        for key_result in key_results:
            server.handle(world.ctx, RecordCheckIn(key_result, 3, 5, WEEK_ONE))
        close = (
            ClosePeriod(world.quarter)
            if closing == "period"
            else CloseObjective(objective, 0.5, "wound down")
        )
        other.handle(world.ctx, close)

        outcomes = race([check_in(server, world, key_result) for key_result in key_results])

        refusal = PeriodClosed if closing == "period" else ObjectiveLocked
        assert all(isinstance(o, refusal) for o in outcomes), outcomes
        for key_result in key_results:
            assert len(server.load(world.ctx, KeyResult, key_result).check_ins) == 1


def test_two_periods_of_one_name_are_never_both_created(
    apps: tuple[OkrApplication, OkrApplication],
) -> None:
    first, second = apps
    world = World.build(first)
    for n in range(ROUNDS):
        name = f"Sprint {n}"

        outcomes = race(
            [
                sender(first, world, CreatePeriod(name, date(2027, 1, 1), date(2027, 1, 14))),
                sender(
                    second, world, CreatePeriod(name.upper(), date(2027, 1, 1), date(2027, 1, 14))
                ),
            ]
        )

        created = [o for o in outcomes if isinstance(o, CommandResult)]
        refused = [o for o in outcomes if isinstance(o, InvalidInput)]
        assert (len(created), len(refused)) == (1, 1), outcomes
        assert refused[0].field == "name"
    created_events = [
        n
        for n in first.recorder.select_notifications(1, 100_000)
        if n.topic.endswith("Period.Created")
    ]
    assert len(created_events) == 2 + ROUNDS


def test_check_ins_on_one_hot_key_result_all_land(
    apps: tuple[OkrApplication, OkrApplication],
) -> None:
    """Twelve writers, ten check-ins each, all on one key result: each one lands (re-run
    until it does), none is refused with CONFLICT."""
    first, second = apps
    world = World.build(first)
    key_result = world.active_key_result()

    def writer(app: OkrApplication) -> Callable[[], list[int]]:
        return lambda: [check_in(app, world, key_result)().attempts for _ in range(10)]

    outcomes = race([writer(first if n % 2 else second) for n in range(12)])

    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert len(first.load(world.ctx, KeyResult, key_result).check_ins) == 120
