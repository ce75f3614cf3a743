"""The demo organization: Sunshine, a holiday company, over one quarter of OKR practice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError

from okr.domain.clock import using_clock
from okr.domain.commands import (
    ActivateObjective,
    AddContributor,
    AddInitiative,
    AddKeyResult,
    AddTeamMember,
    AlignObjective,
    ChangeObjectiveLead,
    CorrectCheckIn,
    CreateKpi,
    CreateObjective,
    CreatePeriod,
    CreateTeam,
    GiveRecognition,
    RecordCheckIn,
    RecordKpiCheckIn,
    RegisterPerson,
    ReviseKeyResultTarget,
)
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel
from okr.services.application import OkrApplication
from okr.services.context import Context

DEMO_ORGANIZATION_ID = uuid5(NAMESPACE_URL, "okr-ledger:demo:sunshine")
QUARTER_START = date(2026, 7, 1)
QUARTER_END = date(2026, 9, 30)
WEEKS = 13

TIER2_TO_TIER1 = [20, 45, 80, 110, 150, 185, 220, 250, 290, 330, 370, 410, 450]
TIER3_TO_TIER2 = [40, 90, 130, 170, 210, 260, 300, 350, 400, 450, 500, 560, 610]
TIER1_PRICE = [1260, 1255, 1248, 1230, 1215, 1190, 1185, 1205, 1210, 1222, 1231, 1240, 1245]
TIER2_PRICE = [840, 835, 828, 822, 815, 811, 806, 802, 799, 804, 809, 812, 818]
CLICK_THROUGH = [40.5, 41.0, 41.8, 42.1, 43.0, 43.6, 44.2, 45.1, 45.8, 46.5, 47.0, 47.9, 48.4]
ZERO_RESULTS = [7.9, 7.7, 7.4, 7.1, 6.8, 6.5, 6.1, 5.9, 5.6, 5.3, 5.0, 4.8, 4.6]
SPEAKING = [3.2, 3.2, 3.4, 3.4, 3.5, 3.6, 3.6, 3.8, 3.8, 3.9, 4.0, 4.0, 4.1]
CONFIDENCE = [7, 7, 6, 6, 5, 5, 6, 6, 7, 7, 8, 8, 8]


class DemoClock:
    """A clock the demo moves forward through the quarter."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        self.current += timedelta(seconds=1)
        return self.current

    def move_to(self, moment: datetime) -> None:
        self.current = max(self.current, moment)


def at(day: date, hour: int = 9) -> datetime:
    """A moment on `day`, in UTC."""
    return datetime.combine(day, time(hour), UTC)


def week_end(week: int) -> date:
    """The last day of week `week` (1 to 13) of the demo quarter."""
    return QUARTER_START + timedelta(days=7 * week - 1)


@dataclass
class Demo:
    """The ids of what the demo wrote, for printing and for tests."""

    organization_id: UUID
    people: dict[str, UUID] = field(default_factory=dict)
    teams: dict[str, UUID] = field(default_factory=dict)
    objectives: dict[str, UUID] = field(default_factory=dict)
    key_results: dict[str, UUID] = field(default_factory=dict)
    kpis: dict[str, UUID] = field(default_factory=dict)
    corrected_check_in: UUID | None = None


def demo_exists(app: OkrApplication) -> bool:
    try:
        app.repository.get(DEMO_ORGANIZATION_ID)
    except AggregateNotFoundError:
        return False
    return True


def load_demo(app: OkrApplication) -> Demo:
    """Write the Sunshine organization and a quarter of its history, stamped over that quarter."""
    clock = DemoClock(at(QUARTER_START - timedelta(days=14)))
    with using_clock(clock):
        return _write(app, clock)


def _write(app: OkrApplication, clock: DemoClock) -> Demo:
    org = app.create_organization("system:demo", "Sunshine", organization_id=DEMO_ORGANIZATION_ID)
    demo = Demo(org.id)
    admin = Context(org.id, "system:demo")
    for name, email in [
        ("Ana Ruiz", "ana@sunshine.example"),
        ("Ben Okafor", "ben@sunshine.example"),
        ("Chloe Martin", "chloe@sunshine.example"),
        ("Dev Patel", "dev@sunshine.example"),
        ("Emma Larsen", "emma@sunshine.example"),
        ("Farid Haddad", "farid@sunshine.example"),
        ("Grace Kim", "grace@sunshine.example"),
    ]:
        demo.people[name.split()[0]] = app.handle(admin, RegisterPerson(name, email)).id
    p = demo.people
    for team, members in [
        ("Sales", ["Ana", "Ben", "Chloe"]),
        ("Engineering", ["Dev", "Emma"]),
        ("Design", ["Farid"]),
        ("Data", ["Grace"]),
    ]:
        demo.teams[team] = app.handle(admin, CreateTeam(team)).id
        for member in members:
            app.handle(admin, AddTeamMember(demo.teams[team], p[member]))

    year = app.handle(admin, CreatePeriod("2026", date(2026, 1, 1), date(2026, 12, 31))).id
    quarter = app.handle(admin, CreatePeriod("2026-Q3", QUARTER_START, QUARTER_END)).id
    _directional(app, admin, demo, year)
    clock.move_to(at(QUARTER_START - timedelta(days=3)))
    _sales(app, Context(org.id, f"person:{p['Ana']}"), demo, quarter)
    _search(app, Context(org.id, f"person:{p['Dev']}"), demo, quarter)
    _personal(app, Context(org.id, f"person:{p['Chloe']}"), demo, quarter)
    _quarter(app, clock, demo)
    return demo


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


def _quarter(app: OkrApplication, clock: DemoClock, demo: Demo) -> None:
    p, k = demo.people, demo.key_results
    series: dict[str, tuple[Sequence[float], str]] = {
        "tier2_to_tier1": (TIER2_TO_TIER1, "Ben"),
        "tier3_to_tier2": (TIER3_TO_TIER2, "Ben"),
        "tier1_price": (TIER1_PRICE, "Ana"),
        "tier2_price": (TIER2_PRICE, "Ana"),
        "click_through": (CLICK_THROUGH, "Dev"),
        "zero_results": (ZERO_RESULTS, "Emma"),
        "speaking": (SPEAKING, "Chloe"),
    }
    check_ins: dict[tuple[str, int], UUID] = {}
    for week in range(1, WEEKS + 1):
        day = week_end(week)
        clock.move_to(at(day, 16))
        for key, (values, author) in series.items():
            ctx = Context(demo.organization_id, f"person:{p[author]}")
            check_ins[key, week] = app.handle(
                ctx,
                RecordCheckIn(
                    k[key],
                    value=values[week - 1],
                    confidence=CONFIDENCE[(week + len(key)) % WEEKS],
                    effective_at=at(day, 12),
                    note=f"week {week}",
                ),
            ).id
        sales = Context(demo.organization_id, f"person:{p['Ana']}")
        if week % 4 == 0:
            app.handle(
                Context(demo.organization_id, f"person:{p['Chloe']}"),
                RecordKpiCheckIn(
                    demo.kpis["upgrade_deals"],
                    value=30 + 2 * week,
                    effective_at=at(day, 12),
                    note="deals closed in the last four weeks",
                ),
            )
        if week == 4:
            app.handle(
                sales,
                ChangeObjectiveLead(
                    demo.objectives["upgrade"],
                    p["Chloe"],
                    "Ben moves to the partnerships team; Chloe leads the upgrade push",
                ),
            )
        if week == 6:
            app.handle(
                sales,
                ReviseKeyResultTarget(
                    k["tier3_to_tier2"],
                    800,
                    "Tier 3 membership shrank by a fifth after the spring price change",
                ),
            )
        if week == 9:
            demo.corrected_check_in = app.handle(
                sales,
                CorrectCheckIn(
                    k["tier2_to_tier1"],
                    check_in_id=check_ins["tier2_to_tier1", 5],
                    value=140,
                    confidence=5,
                    reason="week 5 double-counted ten upgrades from the spring promotion",
                ),
            ).id
    clock.move_to(at(QUARTER_END, 17))
    app.handle(
        Context(demo.organization_id, f"person:{p['Ana']}"),
        GiveRecognition(
            person_id=p["Chloe"],
            objective_id=demo.objectives["upgrade"],
            message="Took over the upgrade push mid-quarter and kept the team on it.",
        ),
    )
