"""What the measurements send over the wire: GraphQL over HTTP with httpx, and `events`
subscriptions over raw graphql-transport-ws with the `websockets` package."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.server import Server
from okr.graphql.ids import parse_global_id

PROTOCOL = Subprotocol("graphql-transport-ws")
HANDSHAKES = 50
EVENTS = """subscription($after: String) {
  events(after: $after) { cursor position type aggregateId occurredAt payload } }"""
CHECK_IN = """mutation($k: ID!, $v: Float!, $at: DateTime!, $note: String!, $key: String) {
  recordCheckIn(input: {keyResultId: $k, value: $v, confidence: 7, effectiveAt: $at,
    note: $note, idempotencyKey: $key}) { checkIn { id } userErrors { code message } } }"""
HISTORY = """query($after: String, $k: ID!) {
  events(first: 100, after: $after, filter: {aggregateId: $k}) {
    pageInfo { hasNextPage endCursor } } }"""

T = TypeVar("T")


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def graphql(
    http: httpx.AsyncClient, server: Server, token: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The `data` of a successful answer; raises on any error."""
    response = await http.post(
        server.graphql, json={"query": query, "variables": variables}, headers=bearer(token)
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    data: dict[str, Any] = body["data"]
    return data


def check_in_variables(
    key_result: str, n: int, note: str, at: datetime, key: str | None = None
) -> dict[str, Any]:
    """Variables for `CHECK_IN`, effective `at`, with idempotency key `key`."""
    return {"k": key_result, "v": float(n % 100), "at": at.isoformat(), "note": note, "key": key}


async def check_in(
    http: httpx.AsyncClient,
    server: Server,
    token: str,
    key_result: str,
    n: int,
    at: datetime,
) -> str:
    """Record a check-in on `key_result`, effective `at`; its raw id."""
    answer = await graphql(
        http, server, token, CHECK_IN, check_in_variables(key_result, n, "fan-out", at)
    )
    payload = answer["recordCheckIn"]
    if payload["userErrors"] or payload["checkIn"] is None:
        raise RuntimeError(f"check-in refused: {payload['userErrors']}")
    parsed = parse_global_id(payload["checkIn"]["id"])
    assert parsed is not None
    return parsed[1]


async def last_cursor(http: httpx.AsyncClient, server: Server, token: str, key_result: str) -> str:
    """The cursor of `key_result`'s last event (the head, right after checking in on it)."""
    after: str | None = None
    while True:
        page = (await graphql(http, server, token, HISTORY, {"after": after, "k": key_result}))[
            "events"
        ]["pageInfo"]
        after = page["endCursor"] or after
        if not page["hasNextPage"]:
            assert after is not None
            return after


async def subscribe(url: str, token: str, after: str | None) -> ClientConnection:
    """A socket past `connection_ack`, with one `events` subscription (id "1") after `after`."""
    socket = await connect(url, subprotocols=[PROTOCOL], ping_interval=None, open_timeout=120)
    try:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await socket.send(json.dumps(init))
        ack = json.loads(await socket.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"connection refused: {ack}")
        subscription = {"query": EVENTS, "variables": {"after": after}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscription}))
    except BaseException:
        await socket.close()
        raise
    return socket


async def gated(
    items: Iterable[T], call: Callable[[T], Awaitable[None]], at_once: int = HANDSHAKES
) -> None:
    """`call` every item, at most `at_once` at a time."""
    gate = asyncio.Semaphore(at_once)

    async def one(item: T) -> None:
        async with gate:
            await call(item)

    await asyncio.gather(*(one(item) for item in items))
