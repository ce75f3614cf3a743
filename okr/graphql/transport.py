"""What the server accepts over the wire: text that is valid Unicode, `subscribe` messages of
the right shape answered with coded errors, and close reasons that are escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message as WsMessage

from okr.graphql.context import RequestContext
from okr.graphql.errors import coded, safe_message

NOT_UNICODE = "The request is not valid Unicode: a string holds a lone surrogate (such as \\ud800)."
CLOSE_REASON_MAX = 123
NOT_OBJECT = "WebSocket message must be a JSON object"
SURROGATE = re.compile("[\ud800-\udfff]")
SUBSCRIBE_SHAPE = (
    ("query", str, "a string"),
    ("variables", dict | None, "an object or null"),
    ("operationName", str | None, "a string or null"),
)


@dataclass(frozen=True)
class Unreadable:
    """Decoded JSON whose text is not valid Unicode: a `\\u` escape wrote a lone surrogate."""

    value: object


def lone_surrogate(value: object) -> bool:
    """Whether any string in a decoded JSON value, key or not, holds a lone surrogate."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return False


def subscribe_problem(payload: object) -> str | None:
    """What is wrong with the shape of a `subscribe` payload, in strawberry's HTTP words."""
    if not isinstance(payload, dict):
        return "The subscribe message's `payload` must be an object."
    for key, kind, shape in SUBSCRIBE_SHAPE:
        if not isinstance(payload.get(key), kind):
            return f"The GraphQL operation's `{key}` must be {shape}."
    return None


class EscapedCloses(ASGIWebSocketAdapter):
    """Close reasons can echo a message (an unknown type, an operation id): they are escaped
    and cut to what a close frame holds."""

    async def close(self, code: int, reason: str) -> None:
        shown = safe_message(reason).encode()[:CLOSE_REASON_MAX].decode("utf-8", "ignore")
        await super().close(code, shown)


class Transport(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """graphql-transport-ws, where a `subscribe` that is not valid Unicode or not of the right
    shape gets an `error` message with a code, as over HTTP; other such messages close the
    socket with 4400."""

    async def handle_message(self, message: WsMessage) -> None:
        received: object = message
        problem = None
        if isinstance(received, Unreadable):
            received, problem = received.value, NOT_UNICODE
        if not isinstance(received, dict):
            await self.handle_invalid_message(problem or NOT_OBJECT)
            return
        if received.get("type") == "subscribe" and self.connection_acknowledged:
            problem = problem or subscribe_problem(received.get("payload"))
            key = received.get("id")
            if problem and isinstance(key, str) and key not in self.operations:
                error = coded(problem, "BAD_REQUEST")
                await self.send_message(ErrorMessage(id=key, type="error", payload=[error]))
                return
        if problem:
            await self.handle_invalid_message(problem)
            return
        await super().handle_message(message)
