"""What depends on the moment of asking: track status, staleness, roll-ups and advice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from okr.bootstrap import Runtime
from okr.demo import Demo
from okr.domain.commands import ChangeObjectiveLead, DeactivatePerson
from okr.domain.progress import TrackStatus
from okr.queries.coaching import objective_advice, period_advice
from okr.queries.health import period_health
from okr.queries.key_result_state import key_result_state
from okr.services.context import Context
from okr.views.database import Row, SqlConnection
from okr.views.directory import every_period
from okr.views.objectives import Collaboration, objective_summary, objectives_of_period

LAST_DAY = datetime(2026, 9, 30, 12, tzinfo=UTC)


class Counting:
    """A connection that counts the statements sent through it."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn
        self.statements = 0

    async def execute(self, sql: str, *params: Any) -> None:
        self.statements += 1
        await self.conn.execute(sql, *params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.statements += 1
        await self.conn.executemany(sql, rows)

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        self.statements += 1
        await self.conn.append(table, rows)

    async def update_many(
        self, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        self.statements += 1
        await self.conn.update_many(table, key, columns, rows)

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        self.statements += 1
        return await self.conn.fetch(sql, *params)

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        self.statements += 1
        return await self.conn.fetchrow(sql, *params)


async def test_objectives_roll_up_progress_and_know_their_collaboration(
    runtime: Runtime, demo: Demo
) -> None:
    org = str(demo.organization_id)
    upgrade = await objective_summary(runtime.store, org, str(demo.objectives["upgrade"]))
    search = await objective_summary(runtime.store, org, str(demo.objectives["search"]))

    assert upgrade is not None
    assert search is not None
    assert upgrade.collaboration is Collaboration.FUNCTIONAL
    assert upgrade.team_ids == [str(demo.teams["Sales"])]
    assert upgrade.contributor_ids == sorted(str(demo.people[p]) for p in ("Ana", "Chloe"))
    assert upgrade.progress == pytest.approx((450 / 500 + 610 / 800 + 1 + 1) / 4)
    assert search.collaboration is Collaboration.CROSS_FUNCTIONAL
    assert (
        await objective_summary(runtime.store, "another-org", str(demo.objectives["upgrade"]))
        is None
    )


async def test_key_results_are_tracked_against_expected_progress(
    runtime: Runtime, demo: Demo
) -> None:
    org = str(demo.organization_id)
    tier2 = await key_result_state(
        runtime.store, org, str(demo.key_results["tier2_to_tier1"]), LAST_DAY
    )
    revenue = await key_result_state(runtime.store, org, str(demo.key_results["revenue"]), LAST_DAY)
    floor = await key_result_state(
        runtime.store, org, str(demo.key_results["tier1_price"]), LAST_DAY
    )

    assert tier2 is not None
    assert revenue is not None
    assert floor is not None
    assert (tier2.status, tier2.stale) == (TrackStatus.ON_TRACK, False)
    assert tier2.expected_progress == pytest.approx(91.5 / 92)
    assert (revenue.status, revenue.stale) == (TrackStatus.OFF_TRACK, True)
    assert floor.status is TrackStatus.ON_TRACK


async def quarter_id(runtime: Runtime, demo: Demo) -> str:
    periods = await every_period(runtime.store, str(demo.organization_id))
    return next(str(p["id"]) for p in periods if p["name"] == "2026-Q3")


async def test_advice_per_objective_and_per_period(runtime: Runtime, demo: Demo) -> None:
    org = str(demo.organization_id)
    weeks_later = datetime(2026, 10, 20, tzinfo=UTC)

    growth = await objective_advice(runtime.store, org, str(demo.objectives["growth"]), LAST_DAY)
    assert [(f.code, f.subject_id) for f in growth] == [
        ("STALE_CHECK_IN", demo.key_results["revenue"])
    ]
    findings = await period_advice(runtime.store, org, await quarter_id(runtime, demo), weeks_later)
    codes = {(f.code, f.subject_id) for f in findings}
    assert ("PERSONAL_OBJECTIVE", demo.objectives["speaking"]) in codes
    assert ("STALE_CHECK_IN", demo.key_results["tier2_to_tier1"]) in codes
    assert not any(code == "LEAD_OVERLOAD" for code, _ in codes)
    assert (
        await objective_advice(
            runtime.store, "another-org", str(demo.objectives["growth"]), LAST_DAY
        )
        == []
    )


async def test_advice_and_health_take_a_fixed_number_of_statements(
    runtime: Runtime, demo: Demo
) -> None:
    org = str(demo.organization_id)
    quarter = await quarter_id(runtime, demo)
    one, period, health = Counting(runtime.store), Counting(runtime.store), Counting(runtime.store)

    await objective_advice(one, org, str(demo.objectives["search"]), LAST_DAY)
    findings = await period_advice(period, org, quarter, LAST_DAY)
    await period_health(health, org, quarter, LAST_DAY)

    assert len(await objectives_of_period(runtime.store, org, quarter)) == 3
    assert findings
    assert (one.statements, period.statements, health.statements) == (4, 4, 3)


async def test_after_the_quarter_three_key_results_are_at_risk(
    runtime: Runtime, demo: Demo
) -> None:
    """Speaking ends at 4.1 of 3.2 -> 4.2: progress 0.8999999999999995, the same as 0.9."""
    after = datetime(2026, 10, 1, tzinfo=UTC)

    health = await period_health(
        runtime.store, str(demo.organization_id), await quarter_id(runtime, demo), after
    )

    assert health is not None
    assert (health.on_track, health.at_risk, health.off_track) == (4, 3, 0)
    speaking = await key_result_state(
        runtime.store, str(demo.organization_id), str(demo.key_results["speaking"]), after
    )
    assert speaking is not None
    assert speaking.status is TrackStatus.ON_TRACK


async def test_objectives_whose_lead_left_are_flagged_until_a_new_lead_takes_over(
    runtime: Runtime, demo: Demo
) -> None:
    context = Context(demo.organization_id, "system:test")
    org, search = str(demo.organization_id), demo.objectives["search"]
    period = await quarter_id(runtime, demo)
    before = await period_advice(runtime.store, org, period, LAST_DAY)
    assert not any(f.code == "LEAD_INACTIVE" for f in before)

    runtime.app.handle(context, DeactivatePerson(demo.people["Dev"], "moved on"))
    await runtime.runner.catch_up()

    after = await period_advice(runtime.store, org, period, LAST_DAY)
    flagged = [f.subject_id for f in after if f.code == "LEAD_INACTIVE"]
    assert flagged == [search]
    left = await objective_advice(runtime.store, org, str(search), LAST_DAY)
    assert "LEAD_INACTIVE" in {f.code for f in left}

    runtime.app.handle(context, ChangeObjectiveLead(search, demo.people["Ana"], "Dev moved on"))
    await runtime.runner.catch_up()

    handed_over = await objective_advice(runtime.store, org, str(search), LAST_DAY)
    assert "LEAD_INACTIVE" not in {f.code for f in handed_over}
