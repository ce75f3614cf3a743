"""Limits per token and per address, on a real server with small limits: requests per
second, operations at once, open WebSockets per token and per address, and the time a new
socket has to say `connection_init`. Each refusal has a code; nothing refused is recorded."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from tests.e2e.raw_ws import HELLO, closed, connected, operation
from tests.e2e.server import Server, serve_sqlite, stored_events
from tests.e2e.tenants import token_for

RATE = 5
BUDGET = 100
LIMITS = {
    "OKR_RATE_LIMIT_PER_SECOND": str(RATE),
    "OKR_MAX_COST_PER_SECOND": str(BUDGET),
    "OKR_MAX_OPERATIONS_PER_TOKEN": "100",
    "OKR_MAX_SOCKETS_PER_TOKEN": "3",
    "OKR_MAX_SOCKETS_PER_ADDRESS": "5",
    "OKR_CONNECTION_INIT_SECONDS": "1",
}
QUERY = "{ organization { name } }"
READS = "{ objectives(first: 20) { nodes { title keyResults { title checkIns { value } } } } }"
PROTOCOL = [Subprotocol("graphql-transport-ws")]


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve_sqlite(tmp_path_factory.mktemp("limited"), LIMITS) as up:
        yield up


@pytest.fixture(scope="module")
def one_at_a_time(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server where a token may run one operation at a time."""
    env = {
        "OKR_MAX_OPERATIONS_PER_TOKEN": "1",
        "OKR_RATE_LIMIT_PER_SECOND": "1000",
        "OKR_MAX_COST_PER_SECOND": "1000000",
    }
    with serve_sqlite(tmp_path_factory.mktemp("one"), env) as up:
        yield up


@pytest.fixture
def fresh(limited: Server) -> Server:
    """The server, once the last test's requests have left the rate's window."""
    time.sleep(1.1)
    return limited


def post(server: Server, query: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{server.base}/graphql", json={"query": query}, headers=headers)


def refusal(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    error: dict[str, Any]
    ((error),) = response.json()["errors"]
    extensions = error["extensions"]
    assert extensions["code"] == "RATE_LIMITED"
    assert 0 < extensions["retryAfter"] <= 1
    assert response.headers["retry-after"] == "1"
    return error


def burst(server: Server, tokens: Sequence[str | None], query: str = QUERY) -> list[httpx.Response]:
    """`query` once per token in `tokens`, sent at once (so they fall within one second)."""

    async def send() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.base) as client:
            return await asyncio.gather(
                *[
                    client.post(
                        "/graphql",
                        json={"query": query},
                        headers={"Authorization": f"Bearer {t}"} if t else {},
                    )
                    for t in tokens
                ]
            )

    return asyncio.run(send())


def test_a_token_over_its_rate_is_refused_until_the_window_moves(fresh: Server) -> None:
    answers = burst(fresh, [fresh.token] * (RATE + 2))

    statuses = [a.status_code for a in answers]
    assert statuses.count(200) >= RATE
    assert 1 <= statuses.count(429) == len(answers) - statuses.count(200)
    error = refusal(next(a for a in answers if a.status_code == 429))
    assert error["message"] == f"Over {RATE} requests per second."
    time.sleep(error["extensions"]["retryAfter"] + 0.05)
    assert post(fresh, QUERY, fresh.token).json()["data"] == {"organization": {"name": "Sunshine"}}


def test_each_token_has_its_own_rate(fresh: Server) -> None:
    other = token_for(fresh, "INTEGRATION")
    time.sleep(1.1)

    answers = burst(fresh, [fresh.token] * (RATE + 1) + [other] * RATE)

    assert 429 in [a.status_code for a in answers[: RATE + 1]]
    assert [a.status_code for a in answers[RATE + 1 :]] == [200] * RATE


def test_requests_without_a_valid_token_count_against_their_address(fresh: Server) -> None:
    answers = burst(fresh, [None, "okr_wrong"] * RATE)

    codes = sorted(a.json()["errors"][0]["extensions"]["code"] for a in answers)
    assert codes == ["RATE_LIMITED"] * RATE + ["UNAUTHENTICATED"] * RATE
    assert post(fresh, QUERY, fresh.token).status_code == 200


def test_a_token_over_its_cost_per_second_is_refused(fresh: Server) -> None:
    """The budget of 100 refills at 100 a second: three pages of 31 at once fit, a fourth
    does not."""
    page = "{ objectives(first: 30) { nodes { id } } }"
    answers = burst(fresh, [fresh.token] * 4, page)

    assert sorted(a.status_code for a in answers) == [200, 200, 200, 429]
    refused = next(a for a in answers if a.status_code == 429)
    assert refusal(refused)["message"] == f"Over a cost of {BUDGET} per second."


def test_an_operation_costing_more_than_the_budget_runs_alone(fresh: Server) -> None:
    answers = [post(fresh, READS, fresh.token) for _ in range(2)]

    assert answers[0].json()["extensions"]["cost"]["requested"] > BUDGET
    assert "errors" not in answers[0].json()
    assert refusal(answers[1])["message"] == f"Over a cost of {BUDGET} per second."


def test_a_refused_mutation_records_nothing(fresh: Server) -> None:
    """Mutations sent with queries that take the whole budget: those refused record no
    event; each one answered records its own."""
    create = (
        'mutation { createTeam(input: {name: "Limits"}) { team { name } userErrors { code } } }'
    )
    before = stored_events(fresh.url)
    outcomes = []
    for _ in range(5):
        time.sleep(1.1)
        answers = burst(fresh, [fresh.token] * 4, "{ objectives(first: 99) { nodes { id } } }")
        outcomes.append(post(fresh, create, fresh.token))
        assert 429 in [a.status_code for a in answers]

    refused = [o for o in outcomes if o.status_code == 429]
    answered = [o for o in outcomes if o.status_code == 200]
    assert refused, [o.json() for o in outcomes]
    assert all(refusal(o)["message"] == f"Over a cost of {BUDGET} per second." for o in refused)
    assert all(o.json()["data"]["createTeam"]["userErrors"] == [] for o in answered)
    assert stored_events(fresh.url) == before + len(answered)


def test_operations_at_once_past_the_limit_get_429(one_at_a_time: Server) -> None:
    """Of queries sent together, those that find the token's one place taken are refused."""
    for _ in range(10):
        answers = burst(one_at_a_time, [one_at_a_time.token] * 20, READS)
        if any(a.status_code == 429 for a in answers):
            break
    refused = [a for a in answers if a.status_code == 429]
    answered = [a for a in answers if a.status_code == 200]

    assert refused, "no query found the token's one place taken"
    assert len(refused) + len(answered) == len(answers)
    assert all("errors" not in a.json() for a in answered)
    assert {refusal(a)["message"] for a in refused} == {"Over 1 operations at once."}


async def test_operations_at_once_past_the_limit_are_refused_on_a_socket(
    one_at_a_time: Server,
) -> None:
    """Of queries sent together on one socket, those that find the token's one place taken
    get a coded `error`; the socket goes on."""
    async with connected(one_at_a_time) as ws:
        for key in range(10):
            await ws.send(
                json.dumps({"id": str(key), "type": "subscribe", "payload": {"query": READS}})
            )
        ends: dict[str, dict[str, Any]] = {}
        async with asyncio.timeout(30):
            while len(ends) < 10:
                message = json.loads(await ws.recv())
                if message["type"] in ("next", "error"):
                    ends[message["id"]] = message
        await asyncio.sleep(1.1)
        after = await operation(ws, "after", json.dumps(HELLO))

    refused = [m for m in ends.values() if m["type"] == "error"]
    answered = [m for m in ends.values() if m["type"] == "next"]
    assert answered, ends
    assert all("errors" not in m["payload"] for m in answered), answered
    assert refused, "no query found the token's one place taken"
    for message in refused:
        ((error),) = message["payload"]
        assert error["message"] == "Over 1 operations at once."
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 1.0}
    assert after[0]["payload"] == {"data": {"organization": {"name": "Sunshine"}}}


async def test_a_subscribe_over_the_rate_gets_a_coded_error_and_the_socket_stays(
    fresh: Server,
) -> None:
    async with connected(fresh) as ws:
        answers = [await operation(ws, str(n), json.dumps(HELLO)) for n in range(RATE + 1)]
        await asyncio.sleep(1.1)
        after = await operation(ws, "after", json.dumps(HELLO))

    assert all(a[0]["type"] == "next" for a in answers[:RATE])
    ((error),) = answers[RATE][0]["payload"]
    assert answers[RATE][0]["type"] == "error"
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert after[0]["payload"] == {"data": {"organization": {"name": "Sunshine"}}}


async def test_a_token_over_its_open_sockets_is_closed_with_1013(limited: Server) -> None:
    async with AsyncExitStack() as stack:
        for _ in range(3):
            await stack.enter_async_context(connected(limited))
        async with connect(limited.ws, subprotocols=PROTOCOL) as fourth:
            init = {"type": "connection_init", "payload": {"token": limited.token}}
            await fourth.send(json.dumps(init))
            code, reason = await closed(fourth)

    assert (code, reason) == (1013, "TOO_MANY_SOCKETS: Over 3 open WebSockets for this token.")
    async with connected(limited) as again:
        answer = await operation(again, "1", json.dumps(HELLO))
    assert answer[0]["payload"] == {"data": {"organization": {"name": "Sunshine"}}}


async def test_an_address_over_its_open_sockets_is_closed_and_idle_ones_time_out(
    limited: Server,
) -> None:
    async with AsyncExitStack() as stack:
        idle = [
            await stack.enter_async_context(connect(limited.ws, subprotocols=PROTOCOL))
            for _ in range(5)
        ]
        async with connect(limited.ws, subprotocols=PROTOCOL) as sixth:
            over = await closed(sixth)
        timed_out = {await closed(ws) for ws in idle}

    assert over == (1013, "TOO_MANY_SOCKETS: Over 5 open WebSockets for this address.")
    assert timed_out == {(4408, "Connection initialisation timeout")}
    async with connected(limited) as again:
        answer = await operation(again, "1", json.dumps(HELLO))
    assert answer[0]["payload"] == {"data": {"organization": {"name": "Sunshine"}}}


def test_malformed_bodies_count_against_the_rate_too(fresh: Server) -> None:
    """A token's requests are counted before their bodies are read: a flood of malformed
    ones is refused like any other."""

    async def send() -> list[httpx.Response]:
        headers = {"Authorization": f"Bearer {fresh.token}", "Content-Type": "application/json"}
        async with httpx.AsyncClient(base_url=fresh.base) as client:
            return await asyncio.gather(
                *[
                    client.post("/graphql", content=b"[" * 500, headers=headers)
                    for _ in range(3 * RATE)
                ]
            )

    answers = asyncio.run(send())

    codes = [a.json()["errors"][0]["extensions"]["code"] for a in answers]
    assert set(codes) == {"BAD_REQUEST", "RATE_LIMITED"}
    assert codes.count("BAD_REQUEST") <= RATE + 1
    refusal(next(a for a in answers if a.status_code == 429))
