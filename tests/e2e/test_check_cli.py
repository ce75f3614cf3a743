"""`okr check` run as a process on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl
from tests.audit_story import ACTOR, Story, align
from tests.e2e.cli import okr


@dataclass(frozen=True)
class Broken:
    """Where the rule-breaking events landed in the log, and what they involve."""

    cycle: int
    cycle_ids: list[str]
    late: int
    late_ids: list[str]
    events: int


def write_broken_log(url: DatabaseUrl) -> Broken:
    """A log an older version without the checks could write: an alignment cycle, then a
    check-in after the period was closed."""
    app = open_application(url)
    try:
        story = Story.build(app)
        a, a_kr = story.active()
        b, b_kr = story.active()
        align(a, key_result=b_kr.id)
        story.save(a)
        align(b, key_result=a_kr.id)
        cycle = story.save(b)
        story.quarter.close(ACTOR)
        story.save(story.quarter)
        late = story.check_in(a_kr)
        return Broken(
            cycle,
            [str(b.id), str(a_kr.id)],
            late,
            [str(a_kr.id), str(a.id), str(story.quarter.id)],
            app.recorder.max_notification_id() or 0,
        )
    finally:
        app.close()


def test_check_names_a_cycle_and_a_check_in_in_a_closed_period(database_url: DatabaseUrl) -> None:
    broken = write_broken_log(database_url)

    result = okr("check", url=database_url)

    assert result.returncode == 1, result.stderr
    cycle, late, summary = result.stdout.splitlines()
    assert cycle == (
        f"position {broken.cycle}: ALIGNMENT_CYCLE in Objective.Aligned "
        f"({', '.join(broken.cycle_ids)}): the alignment would create a cycle"
    )
    assert late.startswith(f"position {broken.late}: PERIOD_CLOSED in KeyResult.CheckInRecorded")
    assert late.endswith(": period '2026-Q4' is closed; reopen it first")
    assert summary == f"checked {broken.events} events: 2 violations"
    assert f"{broken.events}/{broken.events}" in result.stderr


def test_check_json_prints_one_object_per_violation(database_url: DatabaseUrl) -> None:
    broken = write_broken_log(database_url)

    result = okr("check", "--json", url=database_url)

    assert result.returncode == 1, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(v["position"], v["rule"], v["ids"]) for v in found] == [
        (broken.cycle, "ALIGNMENT_CYCLE", broken.cycle_ids),
        (broken.late, "PERIOD_CLOSED", broken.late_ids),
    ]
    assert all(v["message"] for v in found)
    assert f"checked {broken.events} events: 2 violations" in result.stderr


def test_the_demo_passes_the_check(database_url: DatabaseUrl) -> None:
    loaded = okr("demo", url=database_url)
    assert loaded.returncode == 0, loaded.stderr

    result = okr("check", url=database_url)

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"checked [1-9]\d* events: 0 violations\n", result.stdout)
