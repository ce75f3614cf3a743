"""Two runner processes share one PostgreSQL: one leads; kill it and the other takes over."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator

import psycopg
import pytest

from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl
from tests import postgres
from tests.e2e.cli import okr_process
from tests.views import count
from tests.world import World

pytestmark = pytest.mark.postgres

TAKEOVER_SECONDS = 10


@pytest.fixture
def url(postgres_database: str) -> Iterator[DatabaseUrl]:
    with postgres.throwaway_schema(postgres_database) as schema:
        yield DatabaseUrl(f"{postgres_database}?schema={schema}")


def leaders(url: DatabaseUrl) -> list[int]:
    """The process ids of the runners that hold a read-model lock in this database."""
    with psycopg.connect(url.postgres_dsn, autocommit=True) as pg:
        rows = pg.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND a.application_name LIKE 'okr-runner-%%' AND a.datname = current_database()"
        ).fetchall()
    return [int(name.rsplit("-", 1)[1]) for (name,) in rows]


def wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False


def test_the_standby_takes_over_when_the_leader_dies(url: DatabaseUrl) -> None:
    app = open_application(url)
    world = World.build(app)
    runners: dict[int, subprocess.Popen[str]] = {}
    try:
        for _ in range(2):
            process = okr_process("project", url=url)
            runners[process.pid] = process
        assert wait_until(lambda: len(leaders(url)) == 1, 15)
        assert wait_until(lambda: count(url, "audit_log") == world.event_count, 15)
        (leader,) = leaders(url)
        standby = next(pid for pid in runners if pid != leader)

        killed = runners.pop(leader)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=10)
        world.objective()
        world.objective(title="Written while nobody leads")

        assert wait_until(lambda: leaders(url) == [standby], TAKEOVER_SECONDS)
        assert wait_until(lambda: count(url, "audit_log") == world.event_count, TAKEOVER_SECONDS)
        assert count(url, "objectives") == 2
    finally:
        for process in runners.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        app.close()
