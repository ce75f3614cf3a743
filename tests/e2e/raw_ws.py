"""A bare graphql-transport-ws connection, for messages a GraphQL client would not send."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.e2e.server import Server

HELLO = {"query": "{ organization { name } }"}


@asynccontextmanager
async def connected(server: Server) -> AsyncIterator[ClientConnection]:
    """A connection the server has acknowledged with the demo admin's token."""
    async with connect(server.ws, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {server.token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield ws


async def operation(ws: ClientConnection, key: str, payload: str) -> list[dict[str, Any]]:
    """Sends a `subscribe` with the JSON text `payload`; the messages for it until it ends."""
    await ws.send(f'{{"id": "{key}", "type": "subscribe", "payload": {payload}}}')
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(30):
        while not got or got[-1]["type"] not in ("error", "complete"):
            message = json.loads(await ws.recv())
            if message.get("id") == key:
                got.append(message)
    return got


async def ws_errors(server: Server, payload: str) -> list[dict[str, Any]]:
    """The errors of an operation sent as the JSON text `payload`; checks that the connection
    stays open and still answers a query afterwards."""
    async with connected(server) as ws:
        messages = await operation(ws, "1", payload)
        after = await operation(ws, "2", json.dumps(HELLO))
    assert after[0]["payload"] == {"data": {"organization": {"name": "Sunshine"}}}
    if messages[-1]["type"] == "error":
        errors: list[dict[str, Any]] = messages[-1]["payload"]
        return errors
    return [e for m in messages if m["type"] == "next" for e in m["payload"].get("errors", [])]


async def closed(ws: ClientConnection) -> tuple[int, str]:
    """The code and reason the server closes `ws` with, reading until it does."""

    async def drain() -> None:
        async with asyncio.timeout(30):
            while True:
                await ws.recv()

    with pytest.raises(ConnectionClosed) as ended:
        await drain()
    assert ended.value.rcvd is not None, "closed without a close frame"
    return ended.value.rcvd.code, ended.value.rcvd.reason
