"""The demo organization tells a whole quarter, stamped over that quarter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from okr.demo import DEMO_ORGANIZATION_ID, Demo, demo_exists, load_demo
from okr.demo.quarter import QUARTER_END, QUARTER_START, TIER2_TO_TIER1, at, week_end
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Person
from okr.domain.team import Team
from okr.domain.values import ObjectiveKind, ObjectiveLevel
from okr.services.application import OkrApplication
from okr.services.context import Context

CTX = Context(DEMO_ORGANIZATION_ID, "system:test")


@pytest.fixture
def demo(store_app: OkrApplication) -> Demo:
    assert not demo_exists(store_app)
    loaded = load_demo(store_app)
    assert demo_exists(store_app)
    return loaded


def test_the_tier_2_key_result_has_13_weekly_check_ins_and_one_correction(
    store_app: OkrApplication, demo: Demo
) -> None:
    key_result = store_app.load(CTX, KeyResult, demo.key_results["tier2_to_tier1"])

    weekly = [c for c in key_result.check_ins if c.corrects_id is None]
    assert [c.effective_at.date() for c in weekly] == [week_end(w) for w in range(1, 14)]
    assert [c.value for c in weekly] == TIER2_TO_TIER1
    assert len({c.confidence for c in weekly}) > 1
    (correction,) = [c for c in key_result.check_ins if c.corrects_id is not None]
    assert correction.corrects_id == weekly[4].id
    assert correction.effective_at == weekly[4].effective_at
    assert correction.recorded_at.date() == week_end(9)
    assert correction.value == 140


def test_a_target_revision_and_a_lead_change_are_in_the_history(
    store_app: OkrApplication, demo: Demo
) -> None:
    tier3 = store_app.load(CTX, KeyResult, demo.key_results["tier3_to_tier2"])
    assert (tier3.original_target, tier3.target) == (1000, 800)
    assert tier3.revisions[0].revised_at.date() == week_end(6)

    upgrade = store_app.load(CTX, Objective, demo.objectives["upgrade"])
    assert upgrade.title == "Upgrade 10% of existing members to a higher-value product"
    assert upgrade.lead_id == demo.people["Chloe"]
    (change,) = [e for e in store_app.history(CTX, upgrade.id) if e.type == "Objective.LeadChanged"]
    assert change.payload["previous_lead_id"] == demo.people["Ben"]
    assert change.occurred_at.date() == week_end(4)


def test_the_organization_has_its_directional_team_and_personal_objectives(
    store_app: OkrApplication, demo: Demo
) -> None:
    growth = store_app.load(CTX, Objective, demo.objectives["growth"])
    upgrade = store_app.load(CTX, Objective, demo.objectives["upgrade"])
    search = store_app.load(CTX, Objective, demo.objectives["search"])
    speaking = store_app.load(CTX, Objective, demo.objectives["speaking"])

    assert growth.kind is ObjectiveKind.DIRECTIONAL
    assert upgrade.aligned_to_objective_id == growth.id
    assert len(upgrade.key_result_ids) == 4
    assert search.aligned_to_key_result_id == demo.key_results["revenue"]
    assert speaking.level is ObjectiveLevel.PERSONAL
    contributor_teams = {
        team.name
        for team in (store_app.load(CTX, Team, t) for t in demo.teams.values())
        for person in search.contributor_ids
        if person in team.member_ids
    }
    assert contributor_teams == {"Engineering", "Design", "Data"}
    assert all(store_app.load(CTX, Person, p).active for p in demo.people.values())


def test_event_times_are_spread_over_the_quarter(store_app: OkrApplication, demo: Demo) -> None:
    key_result = store_app.load(CTX, KeyResult, demo.key_results["tier2_to_tier1"])
    times = [e.occurred_at for e in store_app.history(CTX, key_result.id)]

    assert times == sorted(times)
    assert times[0] < at(QUARTER_START)
    assert at(QUARTER_END - timedelta(days=7)) < times[-1] <= at(QUARTER_END, 23)
