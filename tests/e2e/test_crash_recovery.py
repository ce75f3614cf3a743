"""A runner killed with SIGKILL mid-batch loses nothing and applies nothing twice."""

from __future__ import annotations

import random
import signal
import time

import pytest

from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl
from tests.bulk import fill
from tests.e2e.cli import okr, okr_process
from tests.views import count, position

KEY_RESULTS = 60
CHECK_INS = 1000


@pytest.fixture
def filled(database_url: DatabaseUrl) -> int:
    app = open_application(database_url)
    try:
        fill(app, KEY_RESULTS, CHECK_INS)
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_a_killed_runner_resumes_exactly_where_it_committed(
    database_url: DatabaseUrl, filled: int
) -> None:
    """The runner spends nearly all of a catch-up inside batch transactions, so a kill at a
    random moment of it almost always lands inside an open one."""
    kills = 0
    rng = random.Random(20261122)
    while kills < 3:
        runner = okr_process("project", "--batch-size", "500", url=database_url)
        time.sleep(rng.uniform(0.8, 1.6))
        reached = position(database_url)
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=10)
        if reached >= filled:
            pytest.fail("the runner finished before it could be killed; raise CHECK_INS")
        kills += 1

    survivor = okr_process("project", url=database_url)
    try:
        deadline = time.monotonic() + 120
        while position(database_url) < filled and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=30)

    assert position(database_url) == filled
    assert count(database_url, "check_ins") == KEY_RESULTS * CHECK_INS
    assert count(database_url, "audit_log") == filled
    replay = okr("replay", url=database_url)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "no differences" in replay.stdout
