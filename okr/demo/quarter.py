"""The demo quarter: its calendar and clock, weekly figures, and the story of its thirteen weeks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from okr.demo.organization import Demo
from okr.domain.commands import (
    ChangeObjectiveLead,
    CorrectCheckIn,
    GiveRecognition,
    RecordCheckIn,
    RecordKpiCheckIn,
    ReviseKeyResultTarget,
)
from okr.services.application import OkrApplication
from okr.services.context import Context

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


def play_quarter(app: OkrApplication, clock: DemoClock, demo: Demo) -> None:
    """Thirteen weeks of check-ins, with a lead change, a target revision, a correction and a
    recognition on the way."""
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
