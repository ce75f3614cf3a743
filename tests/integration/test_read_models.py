"""Every view, told as one story, on SQLite and on PostgreSQL with the same results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from okr.bootstrap import Runtime
from okr.domain.clock import using_clock
from okr.domain.commands import (
    ActivateObjective,
    AddContributor,
    AddInitiative,
    AlignObjective,
    ChangeObjectiveLead,
    ClosePeriod,
    CorrectCheckIn,
    CreateKpi,
    GiveRecognition,
    RecordKpiCheckIn,
    ReviseKeyResultTarget,
    SetInitiativeStatus,
)
from okr.domain.values import InitiativeStatus, Metric
from okr.views.audit_log import AuditFilter, audit_events
from okr.views.check_in_history import check_ins_of_key_results_known_at
from okr.views.objectives import objective_ancestors as ancestors
from okr.views.objectives import objective_descendants as descendants
from tests.world import World

MONDAY = datetime(2026, 10, 5, 9, tzinfo=UTC)


@pytest.fixture
async def story(runtime: Runtime) -> tuple[World, dict[str, str]]:
    world = World.build(runtime.app)
    ids: dict[str, str] = {}
    app, ctx = world.app, world.ctx
    with using_clock(lambda: MONDAY):
        parent = world.directional()
        objective = world.objective()
        key_result = world.key_result(objective)
        binary = world.key_result(
            objective, title="Rollbacks are automatic", metric=Metric.BINARY, start=0, target=1
        )
        child = world.objective(title="Deploy in one click")
        app.handle(ctx, AlignObjective(objective, parent_objective_id=parent))
        app.handle(ctx, AlignObjective(child, parent_key_result_id=key_result))
        app.handle(ctx, AddContributor(objective, world.bo))
        app.handle(ctx, ActivateObjective(objective))
        initiative = app.handle(ctx, AddInitiative(objective, "Canary deploys", world.bo)).id
        app.handle(ctx, SetInitiativeStatus(objective, initiative, InitiativeStatus.DONE))
    with using_clock(lambda: MONDAY + timedelta(days=1)):
        first = world.check_in(key_result, 8, confidence=6)
        world.check_in(binary, 1)
    with using_clock(lambda: MONDAY + timedelta(days=2)):
        app.handle(ctx, ReviseKeyResultTarget(key_result, 4, "vendor delay"))
    with using_clock(lambda: MONDAY + timedelta(days=3)):
        app.handle(
            ctx, CorrectCheckIn(key_result, check_in_id=first, value=7, confidence=5, reason="typo")
        )
        app.handle(ctx, ChangeObjectiveLead(objective, world.bo, "Ann on leave"))
        kpi = app.handle(ctx, CreateKpi(name="Deploys per day", team_id=world.team)).id
        app.handle(ctx, RecordKpiCheckIn(kpi, value=14, effective_at=MONDAY))
        app.handle(
            ctx, GiveRecognition(person_id=world.bo, key_result_id=key_result, message="Nice")
        )
    await runtime.runner.catch_up()
    ids.update(
        org=str(ctx.organization_id),
        parent=str(parent),
        objective=str(objective),
        key_result=str(key_result),
        binary=str(binary),
        child=str(child),
        first=str(first),
        kpi=str(kpi),
    )
    return world, ids


async def test_the_directory_keeps_people_teams_and_periods(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    world, ids = story
    people = await runtime.store.fetch(
        "SELECT name, active FROM people WHERE organization_id = $1 ORDER BY name", ids["org"]
    )
    assert people == [{"name": "Ann Lead", "active": 1}, {"name": "Bo Builder", "active": 1}]
    members = await runtime.store.fetch(
        "SELECT person_id FROM memberships WHERE team_id = $1 AND left_at IS NULL "
        "ORDER BY joined_at",
        str(world.team),
    )
    assert [m["person_id"] for m in members] == [str(world.ann), str(world.bo)]
    periods = await runtime.store.fetch(
        "SELECT name, starts_on, ends_on, closed FROM periods WHERE organization_id = $1 "
        "ORDER BY starts_on",
        ids["org"],
    )
    assert periods == [
        {"name": "2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "closed": 0},
        {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31", "closed": 0},
    ]


async def test_the_objective_view_has_lead_contributors_status_and_initiatives(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    world, ids = story
    row = await runtime.store.fetchrow(
        "SELECT lead_id, status, parent_objective_id, version FROM objectives WHERE id = $1",
        ids["objective"],
    )
    assert row == {
        "lead_id": str(world.bo),
        "status": "ACTIVE",
        "parent_objective_id": ids["parent"],
        "version": 9,
    }
    contributors = await runtime.store.fetch(
        "SELECT person_id FROM contributors WHERE objective_id = $1", ids["objective"]
    )
    assert contributors == [{"person_id": str(world.bo)}]
    initiatives = await runtime.store.fetch(
        "SELECT title, status FROM initiatives WHERE objective_id = $1", ids["objective"]
    )
    assert initiatives == [{"title": "Canary deploys", "status": "DONE"}]


async def test_the_key_result_view_reports_progress_against_both_targets(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    _, ids = story
    row = await runtime.store.fetchrow(
        "SELECT current_value, confidence, target, original_target, progress, "
        "original_progress, progress_unclamped FROM key_results WHERE id = $1",
        ids["key_result"],
    )
    assert row == {
        "current_value": 7.0,
        "confidence": 5,
        "target": 4.0,
        "original_target": 2.0,
        "progress": pytest.approx(0.5),
        "original_progress": pytest.approx(3 / 8),
        "progress_unclamped": pytest.approx(0.5),
    }
    binary = await runtime.store.fetchrow(
        "SELECT progress FROM key_results WHERE id = $1", ids["binary"]
    )
    assert binary == {"progress": 1.0}


async def test_check_in_history_is_bitemporal(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    _, ids = story
    org, key_results = ids["org"], [ids["key_result"]]
    now = await check_ins_of_key_results_known_at(runtime.store, org, key_results, None)
    before_fix = await check_ins_of_key_results_known_at(
        runtime.store, org, key_results, MONDAY + timedelta(days=2)
    )
    before_any = await check_ins_of_key_results_known_at(runtime.store, org, key_results, MONDAY)

    assert [(r["value"], r["corrects_id"]) for r in now] == [(7.0, ids["first"])]
    assert [(r["value"], r["corrects_id"]) for r in before_fix] == [(8.0, None)]
    assert before_any == []


async def test_the_alignment_tree_goes_both_ways(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    _, ids = story
    below = await descendants(runtime.store, ids["org"], ids["parent"])
    above = await ancestors(runtime.store, ids["org"], ids["child"])

    assert [(r["id"], r["depth"]) for r in below] == [(ids["objective"], 1), (ids["child"], 2)]
    assert [(r["id"], r["depth"]) for r in above] == [(ids["objective"], 1), (ids["parent"], 2)]
    assert await descendants(runtime.store, "another-org", ids["parent"]) == []


async def test_kpis_and_recognition_are_kept(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    world, ids = story
    kpi = await runtime.store.fetchrow(
        "SELECT name, current_value FROM kpis WHERE id = $1", ids["kpi"]
    )
    assert kpi == {"name": "Deploys per day", "current_value": 14.0}
    notes = await runtime.store.fetch(
        "SELECT person_id, key_result_id, message FROM recognitions WHERE organization_id = $1",
        ids["org"],
    )
    assert notes == [
        {"person_id": str(world.bo), "key_result_id": ids["key_result"], "message": "Nice"}
    ]


async def test_the_audit_log_filters_by_type_aggregate_actor_and_time(
    runtime: Runtime, story: tuple[World, dict[str, str]]
) -> None:
    _, ids = story
    everything = await audit_events(runtime.store, ids["org"], 0, 1000, AuditFilter())
    assert [r["position"] for r in everything] == sorted(r["position"] for r in everything)
    assert len(everything) == runtime.app.recorder.max_notification_id()

    corrections = await audit_events(
        runtime.store,
        ids["org"],
        0,
        100,
        AuditFilter(types=("KeyResult.CheckInCorrected", "KeyResult.TargetRevised")),
    )
    assert [r["type"] for r in corrections] == [
        "KeyResult.TargetRevised",
        "KeyResult.CheckInCorrected",
    ]
    on_key_result = await audit_events(
        runtime.store,
        ids["org"],
        0,
        100,
        AuditFilter(
            aggregate_ids=(ids["key_result"],),
            since=MONDAY + timedelta(days=1),
            until=MONDAY + timedelta(days=2),
        ),
    )
    assert [r["type"] for r in on_key_result] == ["KeyResult.CheckInRecorded"]
    assert await audit_events(runtime.store, ids["org"], 0, 10, AuditFilter(actor="nobody")) == []
    assert await audit_events(runtime.store, "another-org", 0, 10, AuditFilter()) == []


async def test_a_closed_period_shows_as_closed(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    world.app.handle(world.ctx, ClosePeriod(world.quarter))
    await runtime.runner.catch_up()

    row = await runtime.store.fetchrow(
        "SELECT closed FROM periods WHERE id = $1", str(world.quarter)
    )
    assert row == {"closed": 1}
