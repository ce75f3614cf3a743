"""People, teams over time, periods, KPIs and recognition."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from okr.domain.clock import using_clock
from okr.domain.commands import (
    AddTeamMember,
    ClosePeriod,
    CreateKpi,
    CreatePeriod,
    DeactivatePerson,
    GiveRecognition,
    ReactivatePerson,
    RecordKpiCheckIn,
    RegisterPerson,
    RemoveTeamMember,
)
from okr.domain.errors import InvalidInput, InvalidTransition, NotFound
from okr.domain.kpi import Kpi
from okr.domain.organization import Person
from okr.domain.recognition import Recognition
from okr.domain.team import Team
from okr.domain.values import FeedbackKind
from tests.world import WEEK_ONE, World

MONDAY = datetime(2026, 10, 5, 9, tzinfo=UTC)


def test_team_membership_is_kept_over_time(world: World) -> None:
    cy = world.app.handle(world.ctx, RegisterPerson("Cy")).id
    with using_clock(lambda: MONDAY):
        world.app.handle(world.ctx, AddTeamMember(world.team, cy))
    with using_clock(lambda: MONDAY + timedelta(days=10)):
        world.app.handle(world.ctx, RemoveTeamMember(world.team, cy))

    team = world.app.load(world.ctx, Team, world.team)
    assert cy not in team.member_ids
    assert cy in team.members_at(MONDAY + timedelta(days=5))
    assert cy not in team.members_at(MONDAY + timedelta(days=10))


def test_membership_changes_must_make_sense(world: World) -> None:
    cy = world.app.handle(world.ctx, RegisterPerson("Cy")).id

    world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx, AddTeamMember(world.team, world.ann))
    )
    world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx, RemoveTeamMember(world.team, cy))
    )
    world.refuse(
        NotFound, lambda: world.app.handle(world.ctx, AddTeamMember(world.team, world.team))
    )


def test_people_leave_and_rejoin_and_their_history_stays(world: World) -> None:
    world.app.handle(world.ctx, DeactivatePerson(world.bo, "new job"))
    world.refuse(InvalidTransition, lambda: world.app.handle(world.ctx, DeactivatePerson(world.bo)))
    world.app.handle(world.ctx, ReactivatePerson(world.bo))

    assert world.app.load(world.ctx, Person, world.bo).active
    assert [e.type for e in world.app.history(world.ctx, world.bo)] == [
        "Person.Registered",
        "Person.Left",
        "Person.Rejoined",
    ]


def test_a_period_ends_on_or_after_its_start(world: World) -> None:
    world.app.handle(world.ctx, CreatePeriod("One day", date(2026, 1, 1), date(2026, 1, 1)))
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(
            world.ctx, CreatePeriod("Backwards", date(2026, 2, 1), date(2026, 1, 1))
        ),
    )


def test_a_person_kpi_takes_check_ins(world: World) -> None:
    kpi_id = world.app.handle(world.ctx, CreateKpi(name="Deals per month", person_id=world.bo)).id

    world.app.handle(world.ctx, RecordKpiCheckIn(kpi_id, value=12, effective_at=WEEK_ONE))

    kpi = world.app.load(world.ctx, Kpi, kpi_id)
    assert (kpi.person_id, kpi.values) == (world.bo, [(WEEK_ONE, 12.0)])
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(
            world.ctx, RecordKpiCheckIn(kpi_id, value=float("nan"), effective_at=WEEK_ONE)
        ),
    )


def test_recognition_names_a_person_and_an_objective_or_key_result(world: World) -> None:
    objective_id = world.objective()

    note = world.app.handle(
        world.ctx,
        GiveRecognition(person_id=world.bo, objective_id=objective_id, message="Great pairing"),
    ).id

    recognition = world.app.load(world.ctx, Recognition, note)
    assert (recognition.person_id, recognition.kind) == (world.bo, FeedbackKind.RECOGNITION)
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, GiveRecognition(person_id=world.bo, message="Thanks")),
    )
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(
            world.ctx, GiveRecognition(person_id=world.bo, objective_id=objective_id, message="  ")
        ),
    )


def test_closing_a_period_records_its_reason_and_refuses_unsafe_text(world: World) -> None:
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, ClosePeriod(world.quarter, "evil\u202e\x00")),
    )

    world.app.handle(world.ctx, ClosePeriod(world.quarter, "the quarter is over"))

    last = world.app.history(world.ctx, world.quarter)[-1]
    assert (last.type, last.payload) == ("Period.Closed", {"reason": "the quarter is over"})
