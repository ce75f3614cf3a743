"""Hostile input on a running server: a malformed HTTP body gets 400 in the JSON error shape
with a code, a malformed WebSocket message ends only its own operation with a coded `error`
(or, when no operation can answer for it, closes the socket with a protocol code), and none
of it leaves a traceback in the server's log."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.server import OkrGraphQL, Running, Settings
from tests.e2e.raw_ws import closed, operation, ws_errors
from tests.e2e.server import Server

LIMIT = 256 * 1024
NAME = '"{ organization { name } }"'
HELLO = json.dumps({"query": "{ organization { name } }"})
INT_ARGUMENT = '"query($n: Int) { objectives(first: $n) { nodes { id } } }"'
NOTHING = 'subscription { events(filter: {types: ["Nothing.Happened"]}) { type } }'
CREATE_TEAM = "mutation($n: String!) { createTeam(input: {name: $n}) { userErrors { code } } }"
TRACES = ("Traceback", "Exception in ASGI application", "unexpected error")


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def with_variable(value: str, query: str = NAME) -> str:
    """A request (or `subscribe` payload) whose variable `n` is the JSON text `value`."""
    return f'{{"query": {query}, "variables": {{"n": {value}}}}}'


MALFORMED_JSON = [
    pytest.param(with_variable(nested(3000)), id="variables-3000-deep"),
    pytest.param(with_variable(nested(100_000)), id="variables-100000-deep"),
    pytest.param(f'{{"query": {nested(3000)}}}', id="query-3000-deep"),
    pytest.param(f'{{"query": {nested(100_000)}}}', id="query-100000-deep"),
    pytest.param(with_variable('{"a": ' * 3000 + "1" + "}" * 3000), id="objects-3000-deep"),
    pytest.param(with_variable(nested(101)), id="variables-101-deep"),
    pytest.param(with_variable("1e400"), id="1e400"),
    pytest.param(with_variable("-1e400", INT_ARGUMENT), id="minus-1e400-as-int"),
    pytest.param(with_variable("1" + "0" * 5000), id="10**5000"),
    pytest.param(with_variable("1" + "0" * 5000, INT_ARGUMENT), id="10**5000-as-int"),
    pytest.param(with_variable("9" * 200_000), id="200000-digits"),
    pytest.param(with_variable("0." + "1" * 200_000), id="200000-decimals"),
    pytest.param(with_variable("NaN"), id="NaN"),
    pytest.param(with_variable("Infinity", INT_ARGUMENT), id="Infinity"),
    pytest.param(with_variable("-Infinity"), id="minus-Infinity"),
    pytest.param(f'{{"query": {NAME}, "query": "{{ organization {{ id }} }}"}}', id="key-twice"),
    pytest.param(with_variable('{"a": 1, "a": 2}'), id="key-twice-in-variables"),
]
NOT_OBJECTS = [
    pytest.param(b'"hello"', id="string"),
    pytest.param(b"5", id="number"),
    pytest.param(b"null", id="null"),
    pytest.param(b"true", id="true"),
    pytest.param(b"1e400", id="1e400"),
    pytest.param(f'{{"query": {NAME}, "variables": [1]}}'.encode(), id="variables-list"),
    pytest.param(f'{{"query": {NAME}, "variables": "x"}}'.encode(), id="variables-string"),
    pytest.param(f'{{"query": {NAME}, "variables": 5}}'.encode(), id="variables-number"),
    pytest.param(b'{"query": "{ organization { name } }", "x": "\xff\xfe"}', id="not-utf-8"),
    pytest.param(b'{"query": "{ organization { name } }\xc3"}', id="cut-utf-8"),
]

SERVER_ENV = {"OKR_RATE_LIMIT_PER_SECOND": "1000"}
"""Some tests here start more operations in a second than a token may by default."""


@pytest.fixture
def quiet(server: Server) -> Iterator[Server]:
    """The module's server; after the test its log must hold no traceback."""
    start = server.log.stat().st_size
    yield server
    time.sleep(0.1)
    with server.log.open(errors="replace") as log:
        log.seek(start)
        written = log.read()
    assert not [t for t in TRACES if t in written], written[-3000:]


def post(server: Server, body: bytes, *, token: bool = True) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {server.token}"
    return httpx.post(f"{server.base}/graphql", content=body, headers=headers, timeout=60)


def refused(response: httpx.Response) -> str:
    """The message of a 400 in the JSON error shape, with code BAD_REQUEST."""
    assert response.status_code == 400, response.text[:500]
    assert response.headers["content-type"] == "application/json"
    ((error),) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].isprintable()
    return str(error["message"])


@pytest.mark.parametrize("token", [True, False], ids=["token", "no-token"])
@pytest.mark.parametrize("body", MALFORMED_JSON)
def test_malformed_json_is_a_400_with_a_code(quiet: Server, body: str, token: bool) -> None:
    message = refused(post(quiet, body.encode(), token=token))

    assert message.startswith("The JSON ")


def test_json_within_the_limits_is_read(quiet: Server) -> None:
    for value in (nested(97), "1e300", "1" * 100, '{"a": {"a": 1}}', "-0.0"):
        response = post(quiet, with_variable(value).encode())

        assert response.json()["data"] == {"organization": {"name": "Sunshine"}}, value


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_bodies_of_the_wrong_shape_are_a_400_with_a_code(quiet: Server, body: bytes) -> None:
    refused(post(quiet, body))


async def test_an_integer_literal_python_will_not_convert_is_bad_input(quiet: Server) -> None:
    query = json.dumps({"query": "{ objectives(first: %s) { nodes { id } } }" % ("9" * 5000)})

    response = await asyncio.to_thread(post, quiet, query.encode())
    on_websocket = await ws_errors(quiet, query)

    ((error),) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert error["message"] == (
        "Expected value of type 'Int', found an integer literal of 5000 characters."
    )
    assert (response.status_code, on_websocket) == (200, [error])


@asynccontextmanager
async def socket(server: Server, *, init: bool = True) -> AsyncIterator[ClientConnection]:
    """A graphql-transport-ws connection, acknowledged with the demo token if `init`."""
    protocol = [Subprotocol("graphql-transport-ws")]
    async with connect(server.ws, subprotocols=protocol, max_queue=None) as ws:
        if init:
            bearer = f"Bearer {server.token}"
            hello = {"type": "connection_init", "payload": {"authorization": bearer}}
            await ws.send(json.dumps(hello))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield ws


def subscribe(key: object, query: str) -> str:
    return json.dumps({"id": key, "type": "subscribe", "payload": {"query": query}})


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param('{"a": ' + nested(3000) + "}", id="3000-deep"),
        pytest.param('{"a": ' + nested(100_000) + "}", id="100000-deep"),
        pytest.param('{"a": ' + "9" * 5000 + "}", id="10**5000"),
        pytest.param('{"a": NaN}', id="NaN"),
        pytest.param('{"a": 1, "a": 1}', id="key-twice"),
    ],
)
async def test_malformed_json_in_connection_init_closes_with_4400(
    quiet: Server, payload: str
) -> None:
    async with socket(quiet, init=False) as ws:
        await ws.send(f'{{"type": "connection_init", "payload": {payload}}}')
        code, reason = await closed(ws)

    assert code == 4400
    assert reason.startswith("The JSON ")


@pytest.mark.parametrize("payload", MALFORMED_JSON)
async def test_malformed_json_in_a_subscribe_ends_only_that_operation(
    quiet: Server, payload: str
) -> None:
    errors = await ws_errors(quiet, payload)

    assert [e["extensions"]["code"] for e in errors] == ["BAD_REQUEST"]
    assert errors[0]["message"].startswith("The JSON ")


@pytest.mark.parametrize("over", [1, 50, 4 * LIMIT])
async def test_a_message_over_the_body_limit_closes_the_socket_with_1009(
    quiet: Server, over: int
) -> None:
    """Just over the limit, the app refuses the message; far over, the server does before
    reading it whole: a 1009 close either way."""
    padding = "x" * LIMIT
    message = {"id": "2", "type": "subscribe", "payload": ""}
    frame = len(json.dumps(message))
    async with socket(quiet) as ws:
        fits = await operation(ws, "fits", with_variable(json.dumps(padding[:-200])))
        with contextlib.suppress(ConnectionClosed):
            await ws.send(json.dumps(message | {"payload": "x" * (LIMIT + over - frame)}))
        code, reason = await closed(ws)

    assert fits[0]["payload"]["data"] == {"organization": {"name": "Sunshine"}}
    assert code == 1009
    if over == 1:
        assert reason == f"The JSON is over {LIMIT} bytes."
    else:
        assert reason == f"frame with {LIMIT + over} bytes exceeds limit of {LIMIT + 1} bytes"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(json.dumps({"query": "subscription { events { nope } }"}), id="invalid"),
        pytest.param(json.dumps({"query": "subscription { events {"}), id="syntax"),
        pytest.param(with_variable(nested(3000)), id="3000-deep"),
        pytest.param(with_variable("NaN"), id="NaN"),
        pytest.param('{"query": 5}', id="query-not-a-string"),
    ],
)
async def test_a_bad_subscribe_ends_only_its_operation(quiet: Server, bad: str) -> None:
    name = f"Sibling {uuid.uuid4().hex[:8]}"
    watch = 'subscription { events(filter: {types: ["Team.Created"]}) { payload } }'
    async with socket(quiet) as ws:
        await ws.send(subscribe("sibling", watch))
        refusal = await operation(ws, "bad", bad)
        await asyncio.to_thread(quiet.client().data, CREATE_TEAM, {"n": name})
        async with asyncio.timeout(30):
            while True:
                message = json.loads(await ws.recv())
                assert message["id"] == "sibling", message
                if message["payload"]["data"]["events"]["payload"].get("name") == name:
                    break

    ((error),) = refusal[0]["payload"]
    assert refusal[0]["type"] == "error"
    assert error["extensions"]["code"] in ("BAD_REQUEST", "GRAPHQL_PARSE_FAILED")


async def test_the_101st_operation_on_a_socket_gets_a_coded_error(quiet: Server) -> None:
    async with socket(quiet) as ws:
        for n in range(100):
            await ws.send(subscribe(str(n), NOTHING))
        over = await operation(ws, "101st", json.dumps({"query": NOTHING}))
        await ws.send(json.dumps({"id": "0", "type": "complete"}))
        after = await operation(ws, "after", HELLO)

    ((error),) = [e for m in over if m["type"] == "error" for e in m["payload"]]
    assert error["message"] == "A socket may run at most 100 operations at once."
    assert error["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS"}
    assert after[0]["payload"]["data"] == {"organization": {"name": "Sunshine"}}


@pytest.mark.parametrize(
    ("messages", "code", "reason"),
    [
        pytest.param([subscribe([], NOTHING)], 4400, "The subscribe message's `id`", id="list-id"),
        pytest.param([subscribe(5, NOTHING)], 4400, "The subscribe message's `id`", id="number-id"),
        pytest.param(['{"id": {}, "type": "complete"}'], 4400, "The complete", id="object-id"),
        pytest.param(['{"type": "complete"}'], 4400, "The complete message's `id`", id="no-id"),
        pytest.param(['{"type": "nope"}'], 4400, "Unknown message type: nope", id="type"),
        pytest.param(["{nope"], 4400, "WebSocket message must be valid JSON", id="not-json"),
        pytest.param(
            ['{"type": "ping", "payload": ' + nested(3000) + "}"], 4400, "The JSON", id="ping"
        ),
        pytest.param([subscribe("a", NOTHING)] * 2, 4409, "Subscriber for a", id="id-in-use"),
    ],
)
async def test_messages_no_operation_answers_for_close_with_a_protocol_code(
    quiet: Server, messages: list[str], code: int, reason: str
) -> None:
    async with socket(quiet) as ws:
        for message in messages:
            await ws.send(message)
        closing = await closed(ws)

    assert closing[0] == code
    assert closing[1].startswith(reason)


def test_the_limits_are_set_from_the_environment() -> None:
    url = DatabaseUrl("memory:")
    environ = {"OKR_MAX_BODY_BYTES": "1024", "OKR_MAX_SUBSCRIPTIONS_PER_SOCKET": "3"}

    settings = Settings.from_environ(url, environ)
    view = OkrGraphQL(Running(), settings)

    assert (view.max_message_bytes, view.max_subscriptions_per_connection) == (1024, 3)
    assert Settings.from_environ(url, {}).max_body_bytes == LIMIT
    assert Settings.from_environ(url, {}).max_subscriptions_per_socket == 100
    for name in environ:
        for wrong in ("0", "-1", "1e3", "many"):
            with pytest.raises(ConfigurationError, match=name):
                Settings.from_environ(url, {name: wrong})
