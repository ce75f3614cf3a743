"""What the server accepts over the wire. Over HTTP: bodies up to a limit, and every refusal,
and every unexpected failure, in the JSON shape of GraphQL errors with a code. On a
WebSocket: messages up to the same limit, at most a set number of operations at once, a
`subscribe` that is refused answered with an `error` message with a code (the socket and
its other operations go on), and close reasons that are escaped."""

from __future__ import annotations

import json
from typing import Any, cast

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message as WsMessage

from okr.graphql.admission import TRY_AGAIN_LATER, Refused
from okr.graphql.context import RequestContext, client_address
from okr.graphql.errors import coded, safe_message, unexpected
from okr.graphql.json_input import PAYLOAD_TOO_LARGE, Unreadable

CLOSE_REASON_MAX = 123
MESSAGE_TOO_BIG = 1009
"""The WebSocket close code (RFC 6455) for a message over the limit."""
NOT_OBJECT = "WebSocket message must be a JSON object"
TOO_MANY = "TOO_MANY_SUBSCRIPTIONS"
SUBSCRIBE_SHAPE = (
    ("query", str, "a string"),
    ("variables", dict | None, "an object or null"),
    ("operationName", str | None, "a string or null"),
)


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
    """graphql-transport-ws, where a `subscribe` that is refused (not valid Unicode, JSON
    past okr's limits, not of the right shape, or over the operations a socket may run) gets
    an `error` message with a code, as over HTTP. A message over the size limit closes the
    socket with 1009; other malformed messages, which no operation can answer for, close it
    with 4400 as the protocol says, as does a `subscribe` or `complete` whose `id` is not a
    string."""

    async def handle(self) -> None:
        """Runs the socket while its address is within its limit of open sockets; whatever
        the socket holds (its place among its token's sockets) is let go when it closes."""
        admission = self.context.admission
        try:
            with self.context.held:
                if admission is not None:
                    address = f"address:{client_address(self.context.request)}"
                    self.context.held.enter_context(admission.socket(address, address=True))
                await super().handle()
        except Refused as refusal:
            await self.websocket.close(TRY_AGAIN_LATER, refusal.close_reason)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """As the protocol says; a token over its limit of open sockets closes this one with
        1013 and a reason that starts with the code."""
        try:
            await super().handle_connection_init(message)
        except Refused as refusal:
            await self.websocket.close(TRY_AGAIN_LATER, refusal.close_reason)

    async def handle_message(self, message: WsMessage) -> None:
        received: object = message
        problem = None
        if isinstance(received, Unreadable):
            if received.code == PAYLOAD_TOO_LARGE:
                await self.websocket.close(MESSAGE_TOO_BIG, received.problem)
                return
            problem = received.problem
            received = received.value
        if not isinstance(received, dict):
            await self.handle_invalid_message(problem or NOT_OBJECT)
            return
        kind, key = received.get("type"), received.get("id")
        if kind in ("subscribe", "complete") and not isinstance(key, str):
            await self.handle_invalid_message(f"The {kind} message's `id` must be a string.")
            return
        if kind == "subscribe" and self.connection_acknowledged and key not in self.operations:
            assert isinstance(key, str)
            problem, code = problem or subscribe_problem(received.get("payload")), "BAD_REQUEST"
            limit = self.max_subscriptions_per_connection
            if problem is None and limit is not None and len(self.operations) >= limit:
                problem, code = f"A socket may run at most {limit} operations at once.", TOO_MANY
            if problem:
                await self.send_message(
                    ErrorMessage(id=key, type="error", payload=[coded(problem, code)])
                )
                return
        if problem:
            await self.handle_invalid_message(problem)
            return
        await super().handle_message(message)

    async def send_message(self, message: WsMessage) -> None:
        """Sends `message`; an `error` message strawberry writes without a code (it writes one
        for incremental delivery, which okr does not offer) gets BAD_REQUEST."""
        if message["type"] == "error":
            payload = [
                e if "code" in e.get("extensions", {}) else coded(e["message"], "BAD_REQUEST")
                for e in message["payload"]
            ]
            message = cast(WsMessage, {**message, "payload": payload})
        await super().send_message(message)


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, before they are parsed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await too_large(scope, receive, send, self.limit)
            return
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting, send)
        except BodyTooLarge:
            await too_large(scope, receive, send, self.limit)


class JsonErrors:
    """Gives plain-text 4xx answers (malformed bodies, batches, GET mutations, an unknown
    operation name) the same JSON shape as GraphQL errors, with a code and escaped; and an
    exception that would be a plain 500 is logged with an id and answered with
    INTERNAL_SERVER_ERROR and that id, as an unexpected error in a resolver is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: dict[str, Any] = {}
        started = False

        async def rewriting(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                plain = headers.get(b"content-type", b"").startswith(b"text/plain")
                if message["status"] >= 400 and plain:
                    held["start"] = message
                    return
                started = True
            elif "start" in held and message["type"] == "http.response.body":
                text = message.get("body", b"").decode("utf-8", "replace")
                start = held.pop("start")
                code = PAYLOAD_TOO_LARGE if start["status"] == 413 else "BAD_REQUEST"
                body = json.dumps({"errors": [coded(text, code)]})
                started = True
                await send(
                    {
                        **start,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body.encode()})
                return
            await send(message)

        try:
            await self.app(scope, receive, rewriting)
        except Exception as error:
            if started or isinstance(error, BodyTooLarge):
                raise
            masked, error_id = unexpected(error)
            extensions = {"code": "INTERNAL_SERVER_ERROR", "errorId": error_id}
            answer = {"errors": [{"message": masked, "extensions": extensions}]}
            await JSONResponse(answer, status_code=500)(scope, receive, send)


class BodyTooLarge(Exception):
    """The request body grew past the limit."""


async def too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = JSONResponse(
        {"errors": [coded(f"request body over {limit} bytes", PAYLOAD_TOO_LARGE)]},
        status_code=413,
    )
    await response(scope, receive, send)
