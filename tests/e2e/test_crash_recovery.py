"""A runner killed with SIGKILL mid-batch loses nothing and applies nothing twice."""

from __future__ import annotations

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
KILLS = 3
BATCH = 500


def kill_mid_way(url: DatabaseUrl, filled: int) -> int:
    """Start a runner, kill it with SIGKILL as soon as its committed position has advanced,
    and return the position it had committed.

    The runner is stopped (SIGSTOP) before its position is read and only killed after, so it
    cannot finish in between: a stopped runner commits at most the one batch already on its
    way to the database, and the kill only comes while more than that batch is left.
    """
    before = position(url)
    assert before + 2 * BATCH < filled, "too few events left to kill the runner mid-way"
    runner = okr_process("project", "--batch-size", str(BATCH), url=url)
    try:
        deadline = time.monotonic() + 60
        while position(url) == before:
            assert runner.poll() is None, "the runner exited before it committed a batch"
            assert time.monotonic() < deadline, "the runner committed no batch in 60 s"
            time.sleep(0.005)
        runner.send_signal(signal.SIGSTOP)
        stopped_at = position(url)
        assert stopped_at + BATCH < filled, "the runner got too close to the end to be killed"
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=10)
    return position(url)


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
    """The runner spends nearly all of a catch-up inside batch transactions, so a kill just
    after one batch commits almost always lands inside the next, open one."""
    for _ in range(KILLS):
        killed_at = kill_mid_way(database_url, filled)
        assert killed_at < filled, "the runner finished before it could be killed"

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
