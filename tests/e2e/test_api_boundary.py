"""The API boundary, over HTTP and on a WebSocket alike: text that is not valid Unicode is
refused before it reaches a resolver, no message echoes a character that does not print,
every error has the same code on both, and a document of several operations must name one."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport
from starlette.types import Receive, Scope, Send
from websockets.exceptions import ConnectionClosed

from okr.graphql.transport import JsonErrors
from tests.e2e.raw_ws import connected, ws_errors
from tests.e2e.server import Server, stored_events

EVENTS = "query($f: EventFilter) { events(first: 5, filter: $f) { nodes { type } } }"
CREATE_PERIOD = """mutation($n: String!, $k: String) { createPeriod(input: {name: $n,
  startsOn: "2031-01-01", endsOn: "2031-03-31", idempotencyKey: $k}) { userErrors { code } } }"""
CREATE_TEAM = """mutation($k: String) {
  createTeam(input: {name: "Boundary", idempotencyKey: $k}) { userErrors { code } } }"""
TWO_QUERIES = "query A { organization { name } } query B { organization { id } }"
NOT_UNICODE = "The request is not valid Unicode"

LONE_SURROGATES = [
    pytest.param({"query": CREATE_PERIOD, "variables": {"n": "2031-Q1 \ud800"}}, id="name"),
    pytest.param(
        {"query": CREATE_PERIOD, "variables": {"n": "2031-Q1", "k": "\udc00"}}, id="period-key"
    ),
    pytest.param({"query": CREATE_TEAM, "variables": {"k": "a\udfff\ud800"}}, id="team-key"),
    pytest.param({"query": EVENTS, "variables": {"f": {"actor": "\ud800"}}}, id="actor"),
    pytest.param({"query": EVENTS, "variables": {"f": {"types": ["\udfff"]}}}, id="types"),
    pytest.param({"query": EVENTS, "variables": {"\ud800": 1}}, id="variable-name"),
    pytest.param({"query": TWO_QUERIES, "operationName": "A\ud800"}, id="operationName"),
    pytest.param({"query": '{ events(filter: {actor: "\ud800"}) { nodes { type } } }'}, id="query"),
    pytest.param({"query": EVENTS, "extensions": {"trace": ["\ud800"]}}, id="extensions"),
]

ALIASES = "{ " + " ".join(f"a{n}: organization {{ name }}" for n in range(40)) + " }"
DEEP = "{ objectives { nodes { " + "children { " * 15 + "id" + " }" * 15 + " } } }"
SAME_ON_BOTH = [
    pytest.param({"query": ALIASES}, "BAD_REQUEST", id="aliases"),
    pytest.param({"query": DEEP}, "BAD_REQUEST", id="depth"),
    pytest.param({"query": "{ organization { nope } }"}, "BAD_REQUEST", id="unknown-field"),
    pytest.param({"query": "{ __schema { types { name } } }"}, "BAD_REQUEST", id="introspection"),
    pytest.param(
        {
            "query": "query($n: Int) { objectives(first: $n) { nodes { id } } }",
            "variables": {"n": "x\u202e"},
        },
        "BAD_REQUEST",
        id="variable-type",
    ),
    pytest.param({"query": "{ organization { name }"}, "GRAPHQL_PARSE_FAILED", id="syntax"),
    pytest.param({"query": TWO_QUERIES}, "BAD_REQUEST", id="two-operations-unnamed"),
    pytest.param(
        {"query": TWO_QUERIES, "operationName": "C\u202e\u0085"}, "BAD_REQUEST", id="unknown-name"
    ),
    pytest.param(
        {"query": EVENTS, "variables": {"f": {"actor": "\ud800"}}}, "BAD_REQUEST", id="lone"
    ),
]


def post_json(server: Server, body: object) -> httpx.Response:
    """POSTs `body` as JSON, with non-ASCII characters written as \\u escapes."""
    return httpx.post(
        f"{server.base}/graphql",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"},
        timeout=30,
    )


def shown(errors: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each error's message and code; every message must print."""
    assert all(e["message"].isprintable() for e in errors), errors
    return [(e["message"], e["extensions"]["code"]) for e in errors]


@pytest.mark.parametrize("body", LONE_SURROGATES)
def test_text_that_is_not_unicode_is_refused_over_http(server: Server, body: object) -> None:
    before = stored_events(server.url)

    response = post_json(server, body)

    assert response.status_code == 400, response.text
    ((message, code),) = shown(response.json()["errors"])
    assert code == "BAD_REQUEST"
    assert message.startswith(NOT_UNICODE)
    assert stored_events(server.url) == before


@pytest.mark.parametrize("body", LONE_SURROGATES)
async def test_text_that_is_not_unicode_is_refused_on_a_websocket(
    server: Server, body: object
) -> None:
    before = await asyncio.to_thread(stored_events, server.url)

    errors = await ws_errors(server, json.dumps(body))

    ((message, code),) = shown(errors)
    assert code == "BAD_REQUEST"
    assert message.startswith(NOT_UNICODE)
    assert await asyncio.to_thread(stored_events, server.url) == before


def without_cost(body: dict[str, Any]) -> dict[str, Any]:
    """The body with its `extensions.cost` checked and taken out: every answer carries it."""
    extensions = body.pop("extensions")
    assert set(extensions) == {"cost"}
    assert extensions["cost"]["requested"] <= extensions["cost"]["limit"]
    return body


def test_surrogate_pairs_and_escaped_backslashes_are_text(server: Server) -> None:
    for actor in ("\U0001f600", "\\ud800"):
        response = post_json(server, {"query": EVENTS, "variables": {"f": {"actor": actor}}})

        assert without_cost(response.json()) == {"data": {"events": {"nodes": []}}}


def test_bytes_that_encode_a_surrogate_are_refused(server: Server) -> None:
    body = b'{"query": "{ events(filter: {actor: \\"\xed\xa0\x80\\"}) { nodes { type } } }"}'
    response = httpx.post(
        f"{server.base}/graphql",
        content=body,
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert shown(response.json()["errors"])[0][1] == "BAD_REQUEST"


@pytest.mark.parametrize(("body", "code"), SAME_ON_BOTH)
async def test_errors_have_the_same_escaped_message_and_code_over_http_and_websocket(
    server: Server, body: dict[str, Any], code: str
) -> None:
    response = await asyncio.to_thread(post_json, server, body)
    over_http = shown(response.json()["errors"])

    on_websocket = shown(await ws_errors(server, json.dumps(body)))

    assert response.status_code in (200, 400)
    assert on_websocket == over_http
    assert {c for _, c in over_http} == {code}


def test_an_unknown_operation_name_is_not_echoed_raw(server: Server) -> None:
    response = post_json(server, {"query": TWO_QUERIES, "operationName": "C\u202e\u0085"})

    assert response.status_code == 400
    assert shown(response.json()["errors"]) == [
        ('Unknown operation named "C\\u202e\\x85".', "BAD_REQUEST")
    ]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('"x"', "The subscribe message's `payload` must be an object."),
        ('{"query": 5}', "The GraphQL operation's `query` must be a string."),
        ('{"query": "{ a }", "variables": []}', "The GraphQL operation's `variables` must be"),
        ('{"query": "{ a }", "operationName": 5}', "The GraphQL operation's `operationName`"),
    ],
)
async def test_a_subscribe_payload_of_the_wrong_shape_gets_a_coded_error(
    server: Server, payload: str, message: str
) -> None:
    ((shown_message, code),) = shown(await ws_errors(server, payload))

    assert code == "BAD_REQUEST"
    assert shown_message.startswith(message)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"type": "sub\u202escribe"}', "Unknown message type: sub\\u202escribe"),
        (json.dumps({"type": "x" * 300}), "Unknown message type: xxx"),
        ("[1]", "WebSocket message must be a JSON object"),
        ('{"type": "ping", "payload": {"a": "\\udc00"}}', NOT_UNICODE),
    ],
)
async def test_other_bad_messages_close_with_an_escaped_reason(
    server: Server, text: str, reason: str
) -> None:
    async with connected(server) as ws:
        await ws.send(text)
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(30):
                await ws.recv()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4400
    assert closed.value.rcvd.reason.startswith(reason)
    assert closed.value.rcvd.reason.isprintable()
    assert len(closed.value.rcvd.reason.encode()) <= 123


async def client_errors(server: Server, request: GraphQLRequest) -> list[dict[str, Any]]:
    """The errors a gql client raises for a subscription it sends."""
    transport = WebsocketsTransport(
        url=server.ws,
        init_payload={"authorization": f"Bearer {server.token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        close_timeout=5,
    )
    async with Client(transport=transport) as session:

        async def drain() -> None:
            async with asyncio.timeout(30):
                async for _ in session.subscribe(request):
                    pass

        with pytest.raises(TransportQueryError) as refused:
            await drain()
    assert refused.value.errors is not None
    return refused.value.errors


async def test_a_client_gets_codes_for_a_subscription_with_too_many_aliases(
    server: Server,
) -> None:
    fields = " ".join(f"a{n}: events {{ type }}" for n in range(40))

    errors = await client_errors(server, GraphQLRequest(f"subscription {{ {fields} }}"))

    assert errors[0]["message"] == "40 aliases found. Allowed: 30"
    assert {e["extensions"]["code"] for e in errors} == {"BAD_REQUEST"}


async def test_a_client_must_name_one_of_several_operations(server: Server) -> None:
    document = "subscription A { events { type } } subscription B { events { cursor } }"

    errors = await client_errors(server, GraphQLRequest(document))

    assert shown(errors) == [
        ("Must provide operation name if query contains multiple operations.", "BAD_REQUEST")
    ]


def test_a_document_of_several_operations_runs_only_the_named_one(server: Server) -> None:
    unnamed = post_json(server, {"query": TWO_QUERIES})
    named = post_json(server, {"query": TWO_QUERIES, "operationName": "A"})

    assert unnamed.json()["data"] is None
    assert shown(unnamed.json()["errors"])[0][1] == "BAD_REQUEST"
    assert without_cost(named.json()) == {"data": {"organization": {"name": "Sunshine"}}}


def test_a_subscription_over_http_is_refused(server: Server) -> None:
    response = post_json(server, {"query": "subscription { events { type } }"})

    assert response.status_code == 400
    assert shown(response.json()["errors"]) == [
        ("subscriptions are not allowed when using POST", "BAD_REQUEST")
    ]


async def test_an_exception_past_graphql_is_a_coded_500_with_a_logged_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    transport = httpx.ASGITransport(app=JsonErrors(broken))
    async with httpx.AsyncClient(transport=transport, base_url="http://okr") as client:
        response = await client.post("/graphql", content=b"{}")

    ((error),) = response.json()["errors"]
    error_id = error["extensions"]["errorId"]
    assert response.status_code == 500
    assert error == {
        "message": f"Unexpected error (id {error_id}).",
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
    }
    assert [r.exc_info is not None for r in caplog.records if error_id in r.getMessage()] == [True]
