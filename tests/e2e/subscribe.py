"""A live GraphQL subscription over graphql-transport-ws, with the gql client."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from tests.e2e.server import Server


@asynccontextmanager
async def subscribed(
    server: Server, token: str, query: str, variables: dict[str, Any], **extra: Any
) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
    """A live `events` subscription to `query`; yields an iterator of events.

    The client drains what it has not read when it leaves (an unbounded receive queue):
    otherwise the websockets library stops reading behind the backlog's unread frames and
    only sees the server's close frame when its own close timeout fires.
    """
    transport = WebsocketsTransport(
        url=server.ws,
        init_payload={"authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        connect_args={"max_queue": None},
        close_timeout=5,
        **extra,
    )
    async with Client(transport=transport) as session:

        async def stream() -> AsyncGenerator[dict[str, Any], None]:
            subscription = session.subscribe(GraphQLRequest(query, variable_values=variables))
            try:
                async for result in subscription:
                    yield result["events"]
            finally:
                await subscription.aclose()

        events = stream()
        try:
            yield events
        finally:
            await events.aclose()
