"""`okr upgrade` run as a process on SQLite and on PostgreSQL, on a log an older version wrote."""

from __future__ import annotations

from datetime import date

from okr.bootstrap import open_application
from okr.domain.period import Period
from okr.infra.event_store import DatabaseUrl
from tests.audit_story import ACTOR, Story
from tests.e2e.cli import okr


def test_upgrade_claims_old_period_names_once_and_the_log_passes_the_check(
    database_url: DatabaseUrl,
) -> None:
    app = open_application(database_url)
    try:
        story = Story.build(app)
        twin = Period.create(story.org.id, ACTOR, "2026-q4", date(2026, 10, 1), date(2026, 12, 31))
        story.save(twin)
    finally:
        app.close()

    first = okr("upgrade", url=database_url)
    again = okr("upgrade", url=database_url)
    checked = okr("check", url=database_url)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == (
        "period names: 2 claimed, 0 already claimed, 1 shared with an earlier period"
    )
    assert f"period {twin.id} has the name of period {story.quarter.id}" in first.stdout
    assert again.stdout.splitlines()[0] == (
        "period names: 0 claimed, 2 already claimed, 1 shared with an earlier period"
    )
    assert checked.returncode == 1
    assert "DUPLICATE_PERIOD_NAME" in checked.stdout
    assert "checked" in checked.stdout
