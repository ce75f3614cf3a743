"""A query running past OKR_OPERATION_TIMEOUT_SECONDS, over HTTP or a WebSocket, is cancelled
with a code, and the server goes on answering; a mutation always finishes (its command may be
recorded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from okr.infra.event_store import DatabaseUrl
from tests.e2e.raw_ws import connected, operation
from tests.e2e.server import Server, serve, stored_events

LIMIT = "0.000001"
READS = "{ objectives(first: 20) { nodes { title keyResults { title checkIns { value } } } } }"


@pytest.fixture(scope="module")
def hurried(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on SQLite whose queries may run a microsecond."""
    folder = tmp_path_factory.mktemp("hurried")
    url = DatabaseUrl(f"sqlite:///{folder / 'okr.sqlite'}")
    with serve(url, folder / "server.log", env={"OKR_OPERATION_TIMEOUT_SECONDS": LIMIT}) as up:
        yield up


def test_a_query_over_the_time_limit_is_cancelled_with_a_code(hurried: Server) -> None:
    api = hurried.client()

    for _ in range(3):
        body = api.run(READS)
        assert body["data"] is None
        assert [e["extensions"] for e in body["errors"]] == [
            {"code": "OPERATION_TIMED_OUT", "limit": float(LIMIT)}
        ]


def test_a_mutation_is_never_cut_short(hurried: Server) -> None:
    before = stored_events(hurried.url)

    data = hurried.client().data(
        'mutation { createTeam(input: {name: "Night shift"}) '
        "{ team { name } userErrors { code } } }"
    )

    assert data["createTeam"] == {"team": {"name": "Night shift"}, "userErrors": []}
    assert stored_events(hurried.url) == before + 1


async def test_a_query_over_a_websocket_is_cancelled_too_and_the_socket_stays(
    hurried: Server,
) -> None:
    async with connected(hurried) as ws:
        slow = await operation(ws, "slow", json.dumps({"query": READS}))
        write = await operation(
            ws,
            "write",
            json.dumps(
                {"query": 'mutation { createTeam(input: {name: "Late"}) { team { name } } }'}
            ),
        )

    assert [m["type"] for m in slow] == ["next", "complete"]
    assert slow[0]["payload"]["data"] is None
    assert [e["extensions"] for e in slow[0]["payload"]["errors"]] == [
        {"code": "OPERATION_TIMED_OUT", "limit": float(LIMIT)}
    ]
    assert write[0]["payload"]["data"] == {"createTeam": {"team": {"name": "Late"}}}


def test_a_time_limit_that_is_not_a_positive_number_stops_okr_serve(tmp_path: Path) -> None:
    env = os.environ | {"OKR_DATABASE_URL": f"sqlite:///{tmp_path / 'okr.sqlite'}"}
    for bad in ("soon", "0", "-1", "nan", "inf"):
        done = subprocess.run(
            [sys.executable, "-m", "okr", "serve", "--port", "1"],
            env=env | {"OKR_OPERATION_TIMEOUT_SECONDS": bad},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, bad
        assert "OKR_OPERATION_TIMEOUT_SECONDS must be a positive number of seconds" in done.stderr
