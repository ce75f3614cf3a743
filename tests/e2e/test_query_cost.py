"""Issue 11's hostile query is refused before it runs, with a code and its cost, by a real
`okr serve`; other operations run and carry their cost; OKR_MAX_QUERY_COST sets the limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from okr.infra.event_store import DatabaseUrl
from tests.e2e.raw_ws import ws_errors
from tests.e2e.server import Server, serve
from tests.e2e.test_graphql_api import QUARTER

DEFAULT = 50_000
HOSTILE = (
    "{ objectives(first:100){ nodes { keyResults { objective { keyResults { objective { "
    "keyResults { objective { keyResults { objective { id }}}}}}}}}}}"
)
DEEPER = HOSTILE.replace("objective { id }", "objective { keyResults { objective { id }}}")
TEN_OBJECTIVES = "{ objectives(first: 10) { nodes { id } } }"


def refusal(body: dict[str, Any]) -> tuple[object, ...]:
    """The data, each error's extensions and the answer's cost of a refused operation."""
    return body["data"], [e["extensions"] for e in body["errors"]], body["extensions"]["cost"]


@pytest.mark.parametrize(("document", "cost"), [(HOSTILE, 156_101), (DEEPER, 781_101)])
def test_the_hostile_query_is_refused_before_it_runs_with_its_cost(
    server: Server, document: str, cost: int
) -> None:
    body = server.client().run(document)

    assert refusal(body) == (
        None,
        [{"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": DEFAULT}],
        {"requested": cost, "limit": DEFAULT},
    )
    assert body["errors"][0]["message"].startswith(f"The operation costs {cost}, over the limit")


def test_queries_and_mutations_run_and_carry_their_cost(server: Server) -> None:
    api = server.client()

    quarter = api.run(QUARTER)
    created = api.run('mutation { createTeam(input: {name: "Costing"}) { team { name } } }')

    assert quarter["data"]["objectives"]["nodes"][0]["keyResults"][0]["history"]
    assert quarter["extensions"] == {"cost": {"requested": 97, "limit": DEFAULT}}
    assert created == {
        "data": {"createTeam": {"team": {"name": "Costing"}}},
        "extensions": {"cost": {"requested": 12, "limit": DEFAULT}},
    }


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on SQLite whose limit is 10."""
    folder = tmp_path_factory.mktemp("limited")
    url = DatabaseUrl(f"sqlite:///{folder / 'okr.sqlite'}")
    with serve(url, folder / "server.log", env={"OKR_MAX_QUERY_COST": "10"}) as running:
        yield running


def test_okr_max_query_cost_sets_the_limit(limited: Server) -> None:
    api = limited.client()

    small = api.run("{ organization { name } }")
    refused = api.run(TEN_OBJECTIVES)

    assert small == {
        "data": {"organization": {"name": "Sunshine"}},
        "extensions": {"cost": {"requested": 1, "limit": 10}},
    }
    assert refusal(refused) == (
        None,
        [{"code": "QUERY_TOO_COSTLY", "cost": 11, "limit": 10}],
        {"requested": 11, "limit": 10},
    )


async def test_a_subscription_over_the_limit_gets_an_error_and_the_socket_stays_open(
    limited: Server,
) -> None:
    """`ws_errors` also checks that a query on the same socket then runs (cost 1)."""
    subscription = json.dumps({"query": "subscription { events { position } }"})

    errors = await ws_errors(limited, subscription)

    assert [e["extensions"] for e in errors] == [
        {"code": "QUERY_TOO_COSTLY", "cost": 11, "limit": 10}
    ]


def test_a_limit_that_is_not_a_positive_whole_number_stops_okr_serve(tmp_path: Path) -> None:
    env = os.environ | {"OKR_DATABASE_URL": f"sqlite:///{tmp_path / 'okr.sqlite'}"}
    done = subprocess.run(
        [sys.executable, "-m", "okr", "serve", "--port", "1"],
        env=env | {"OKR_MAX_QUERY_COST": "lots"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "OKR_MAX_QUERY_COST must be a positive whole number" in done.stderr
