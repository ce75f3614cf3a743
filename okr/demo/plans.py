"""The demo's plans: periods 2026 and 2026-Q3, and the objectives and key results set for them."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from okr.demo.organization import Demo
from okr.demo.quarter import QUARTER_END, QUARTER_START, DemoClock, at
from okr.domain.commands import (
    ActivateObjective,
    AddContributor,
    AddInitiative,
    AddKeyResult,
    AlignObjective,
    CreateKpi,
    CreateObjective,
    CreatePeriod,
)
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel
from okr.services.application import OkrApplication
from okr.services.context import Context


def write_plans(app: OkrApplication, clock: DemoClock, demo: Demo) -> None:
    """The periods, the company's directional objective, then each lead's quarter objective."""
    admin = Context(demo.organization_id, "system:demo")
    p = demo.people
    year = app.handle(admin, CreatePeriod("2026", date(2026, 1, 1), date(2026, 12, 31))).id
    quarter = app.handle(admin, CreatePeriod("2026-Q3", QUARTER_START, QUARTER_END)).id
    _directional(app, admin, demo, year)
    clock.move_to(at(QUARTER_START - timedelta(days=3)))
    _sales(app, Context(demo.organization_id, f"person:{p['Ana']}"), demo, quarter)
    _search(app, Context(demo.organization_id, f"person:{p['Dev']}"), demo, quarter)
    _personal(app, Context(demo.organization_id, f"person:{p['Chloe']}"), demo, quarter)


def _directional(app: OkrApplication, ctx: Context, demo: Demo, year: UUID) -> None:
    growth = app.handle(
        ctx,
        CreateObjective(
            title="Grow revenue to 60M EUR in 2026",
            kind=ObjectiveKind.DIRECTIONAL,
            level=ObjectiveLevel.COMPANY,
            period_id=year,
            lead_id=demo.people["Ana"],
        ),
    ).id
    app.handle(ctx, ActivateObjective(growth))
    demo.objectives["growth"] = growth
    demo.key_results["revenue"] = app.handle(
        ctx,
        AddKeyResult(
            growth,
            title="Annual revenue grows from 48M to 60M EUR",
            metric=Metric.INCREASE_TO,
            start=48_000_000,
            target=60_000_000,
            unit="EUR",
        ),
    ).id


def _sales(app: OkrApplication, ctx: Context, demo: Demo, quarter: UUID) -> None:
    p = demo.people
    upgrade = app.handle(
        ctx,
        CreateObjective(
            title="Upgrade 10% of existing members to a higher-value product",
            kind=ObjectiveKind.EXECUTABLE,
            level=ObjectiveLevel.TEAM,
            period_id=quarter,
            lead_id=p["Ben"],
            team_ids=(demo.teams["Sales"],),
        ),
    ).id
    demo.objectives["upgrade"] = upgrade
    app.handle(ctx, AlignObjective(upgrade, parent_objective_id=demo.objectives["growth"]))
    for name in ("Ana", "Chloe"):
        app.handle(ctx, AddContributor(upgrade, p[name]))
    for key, title, metric, start, target, unit in [
        (
            "tier2_to_tier1",
            "Upgrade 500 members from Tier 2 to Tier 1",
            Metric.INCREASE_TO,
            0,
            500,
            "NUMBER",
        ),
        (
            "tier3_to_tier2",
            "Upgrade 1000 members from Tier 3 to Tier 2",
            Metric.INCREASE_TO,
            0,
            1000,
            "NUMBER",
        ),
        (
            "tier1_price",
            "Keep the Tier 1 average price at or above 1200 EUR",
            Metric.STAY_ABOVE,
            1260,
            1200,
            "EUR",
        ),
        (
            "tier2_price",
            "Keep the Tier 2 average price at or above 800 EUR",
            Metric.STAY_ABOVE,
            840,
            800,
            "EUR",
        ),
    ]:
        demo.key_results[key] = app.handle(
            ctx,
            AddKeyResult(
                upgrade, title=title, metric=metric, start=start, target=target, unit=unit
            ),
        ).id
    app.handle(ctx, AddInitiative(upgrade, "Tier upgrade email campaign", p["Chloe"]))
    demo.kpis["upgrade_deals"] = app.handle(
        ctx, CreateKpi(name="Upgrade deals closed per month", person_id=p["Chloe"], target=40)
    ).id
    app.handle(ctx, ActivateObjective(upgrade))


def _search(app: OkrApplication, ctx: Context, demo: Demo, quarter: UUID) -> None:
    p = demo.people
    search = app.handle(
        ctx,
        CreateObjective(
            title="Improve search result accuracy by 25%",
            kind=ObjectiveKind.EXECUTABLE,
            level=ObjectiveLevel.TEAM,
            period_id=quarter,
            lead_id=p["Dev"],
            team_ids=(demo.teams["Engineering"],),
        ),
    ).id
    demo.objectives["search"] = search
    app.handle(ctx, AlignObjective(search, parent_key_result_id=demo.key_results["revenue"]))
    for name in ("Emma", "Farid", "Grace"):
        app.handle(ctx, AddContributor(search, p[name]))
    demo.key_results["click_through"] = app.handle(
        ctx,
        AddKeyResult(
            search,
            title="Search click-through rises from 40% to 50%",
            metric=Metric.INCREASE_TO,
            start=40,
            target=50,
            unit="PERCENT",
        ),
    ).id
    demo.key_results["zero_results"] = app.handle(
        ctx,
        AddKeyResult(
            search,
            title="Searches with no result fall from 8% to 4%",
            metric=Metric.DECREASE_TO,
            start=8,
            target=4,
            unit="PERCENT",
        ),
    ).id
    app.handle(ctx, ActivateObjective(search))


def _personal(app: OkrApplication, ctx: Context, demo: Demo, quarter: UUID) -> None:
    speaking = app.handle(
        ctx,
        CreateObjective(
            title="Become a confident presenter",
            kind=ObjectiveKind.EXECUTABLE,
            level=ObjectiveLevel.PERSONAL,
            period_id=quarter,
            lead_id=demo.people["Chloe"],
            description="Personal development, agreed with my coach.",
        ),
    ).id
    demo.objectives["speaking"] = speaking
    demo.key_results["speaking"] = app.handle(
        ctx,
        AddKeyResult(
            speaking,
            title="Audience feedback on my talks rises from 3.2 to 4.2",
            metric=Metric.INCREASE_TO,
            start=3.2,
            target=4.2,
            unit="NUMBER",
        ),
    ).id
    app.handle(ctx, ActivateObjective(speaking))
