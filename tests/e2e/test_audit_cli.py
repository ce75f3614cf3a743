"""`okr replay`, `okr export` and `okr verify`, run as processes on a store holding the demo."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from okr.bootstrap import open_application
from okr.demo import DEMO_ORGANIZATION_ID
from okr.infra.event_store import DatabaseUrl
from tests.e2e.cli import okr
from tests.tamper import tamper


@pytest.fixture
def demo_url(database_url: DatabaseUrl) -> DatabaseUrl:
    loaded = okr("demo", url=database_url)
    assert loaded.returncode == 0, loaded.stderr
    return database_url


def head_of(output: str) -> str:
    match = re.search(r"^head ([0-9a-f]{64})$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_replay_rebuilds_and_finds_no_difference(demo_url: DatabaseUrl) -> None:
    result = okr("replay", url=demo_url)

    assert result.returncode == 0, result.stderr
    assert "Rebuilt every read model to position 154: no differences." in result.stdout
    assert "154/154" in result.stderr


def test_replay_reports_and_repairs_a_damaged_view(demo_url: DatabaseUrl) -> None:
    assert okr("replay", url=demo_url).returncode == 0
    _corrupt_view(demo_url)

    found = okr("replay", url=demo_url)
    assert found.returncode == 1
    assert (
        "key_results: 1 rows only in the live table, 1 rows only in the rebuilt one" in found.stdout
    )
    assert okr("replay", url=demo_url).returncode == 0


def _corrupt_view(url: DatabaseUrl) -> None:
    _run_sql(
        url,
        "UPDATE key_results SET current_value = 0 WHERE id = (SELECT min(id) FROM key_results)",
    )


def _run_sql(url: DatabaseUrl, statement: str) -> None:
    """Change the views behind okr's back."""
    if url.backend == "sqlite":
        with closing(sqlite3.connect(url.sqlite_path)) as conn, conn:
            conn.execute(statement)
        return
    with psycopg.connect(url.postgres_dsn, autocommit=True) as pg:
        pg.execute(f"SET search_path TO {url.schema}")
        pg.execute(statement)


def test_export_writes_chained_json_lines(demo_url: DatabaseUrl, tmp_path: Path) -> None:
    target = tmp_path / "log.jsonl"
    assert okr("export", "--output", str(target), url=demo_url).returncode == 0

    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["position"] for line in lines] == list(range(1, 155))
    assert set(lines[0]) == {
        "position",
        "type",
        "aggregate_id",
        "aggregate_version",
        "recorded_at",
        "organization_id",
        "actor",
        "payload",
        "hash",
    }
    assert lines[0]["type"] == "Organization.Created"
    verified = okr("verify", url=demo_url)
    assert head_of(verified.stdout) == lines[-1]["hash"]
    assert okr("verify", "--file", str(target), url=demo_url).returncode == 0


def test_export_filters_by_organization_and_time(demo_url: DatabaseUrl, tmp_path: Path) -> None:
    target = tmp_path / "august.jsonl"
    result = okr(
        "export",
        "--organization",
        str(DEMO_ORGANIZATION_ID),
        "--since",
        "2026-08-01",
        "--until",
        "2026-09-01",
        "--output",
        str(target),
        url=demo_url,
    )

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert lines
    assert all("2026-08-01" <= line["recorded_at"] < "2026-09-01" for line in lines)
    assert okr("verify", "--file", str(target), url=demo_url).returncode == 0
    nobody = okr("export", "--organization", "no-such-org", url=demo_url)
    assert (nobody.returncode, nobody.stdout) == (2, "")
    assert "argument --organization: 'no-such-org' is neither a UUID" in nobody.stderr


def test_an_edited_export_fails_its_own_chain(demo_url: DatabaseUrl, tmp_path: Path) -> None:
    target = tmp_path / "log.jsonl"
    okr("export", "--output", str(target), url=demo_url)
    lines = target.read_text().splitlines()
    lines[9] = lines[9].replace('"actor":"system:demo"', '"actor":"someone-else"')
    target.write_text("\n".join(lines) + "\n")

    result = okr("verify", "--file", str(target), url=demo_url)

    assert result.returncode == 1
    assert "line 10 (position 10)" in result.stdout


def test_verify_names_the_position_of_an_edited_event(demo_url: DatabaseUrl) -> None:
    first = okr("verify", url=demo_url)
    assert first.returncode == 0, first.stderr
    head = head_of(first.stdout)

    tamper(demo_url, 60, b'"confidence":', b'"confidence":1')
    result = okr("verify", "--head", head, url=demo_url)

    assert result.returncode == 1
    assert "FAILED position 60:" in result.stdout


def test_replay_keeps_a_tampered_audit_chain_as_evidence(demo_url: DatabaseUrl) -> None:
    assert okr("verify", url=demo_url).returncode == 0
    tamper(demo_url, 60, b'"confidence":', b'"confidence":1')

    replay = okr("replay", url=demo_url)

    assert replay.returncode == 1
    assert "Kept the live audit_log" in replay.stdout
    still = okr("verify", url=demo_url)
    assert still.returncode == 1
    assert "FAILED position 60:" in still.stdout


def test_verify_notices_a_deleted_audit_row(demo_url: DatabaseUrl) -> None:
    assert okr("verify", url=demo_url).returncode == 0
    _run_sql(demo_url, "DELETE FROM audit_log WHERE position = 40")

    result = okr("verify", url=demo_url)

    assert result.returncode == 1
    assert "FAILED position 40: in the store but not in the audit chain" in result.stdout


def test_verify_file_checks_an_earlier_head(demo_url: DatabaseUrl, tmp_path: Path) -> None:
    target = tmp_path / "log.jsonl"
    okr("export", "--output", str(target), url=demo_url)
    lines = [json.loads(line) for line in target.read_text().splitlines()]

    kept = okr("verify", "--file", str(target), "--head", lines[50]["hash"], url=demo_url)
    unknown = okr("verify", "--file", str(target), "--head", "a" * 64, url=demo_url)

    assert kept.returncode == 0
    assert unknown.returncode == 1
    assert "earlier head hash is not in this export" in unknown.stdout


def test_verify_proves_the_log_extends_an_earlier_head(demo_url: DatabaseUrl) -> None:
    head = head_of(okr("verify", url=demo_url).stdout)

    app = open_application(demo_url)
    try:
        app.create_organization("system:test", "Later Ltd")
    finally:
        app.close()
    later = okr("verify", "--head", head, url=demo_url)
    assert later.returncode == 0
    assert "OK 155 events" in later.stdout
    assert "the log extends the earlier head (position 154)" in later.stdout
    assert head_of(later.stdout) != head

    wrong = okr("verify", "--head", "f" * 64, url=demo_url)
    assert wrong.returncode == 1
    assert "no longer extends it" in wrong.stdout
