"""`okr demo` as a user runs it: a real process on a real store."""

from __future__ import annotations

from okr.infra.event_store import DatabaseUrl
from tests.e2e.cli import okr


def test_okr_demo_writes_the_quarter_once(database_url: DatabaseUrl) -> None:
    first = okr("demo", url=database_url)

    assert first.returncode == 0, first.stderr
    assert "Wrote the demo organization Sunshine" in first.stdout
    assert "Upgrade 500 members from Tier 2 to Tier 1" in first.stdout
    rows = [line for line in first.stdout.splitlines() if line.startswith("  2026-")]
    assert len(rows) == 14
    assert "correction: week 5 double-counted" in first.stdout

    second = okr("demo", url=database_url)
    assert second.returncode == 0, second.stderr
    assert "already" in second.stdout


def test_a_bad_database_url_is_a_clear_error() -> None:
    result = okr("demo", url=DatabaseUrl("mysql://nope"))

    assert result.returncode == 2
    assert "OKR_DATABASE_URL must start with" in result.stderr
    assert "Traceback" not in result.stderr
