"""The Starlette application: GraphQL over HTTP and WebSocket, health, and the lifespan
that opens the stores and runs the views and the subscription broadcaster."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from okr.bootstrap import Runtime, open_runtime
from okr.graphql.auth import authenticate
from okr.graphql.broadcast import Broadcaster
from okr.graphql.context import RECHECK_SECONDS, RequestContext
from okr.graphql.errors import coded
from okr.graphql.schema import build_schema
from okr.graphql.transport import NOT_UNICODE, EscapedCloses, Transport, Unreadable, lone_surrogate
from okr.infra.event_store import ConfigurationError, DatabaseUrl

MAX_BODY_BYTES = 256 * 1024
READY_LAG = 1000
COMMAND_THREADS = 32
RECHECK_VARIABLE = "OKR_SUBSCRIPTION_RECHECK_SECONDS"


@dataclass
class Settings:
    url: DatabaseUrl
    dev: bool = False
    allowed_origins: Sequence[str] = ()
    max_body_bytes: int = MAX_BODY_BYTES
    subscription_recheck_seconds: float = RECHECK_SECONDS
    """How often a running subscription checks that its token is still live."""

    @classmethod
    def from_environ(
        cls,
        url: DatabaseUrl,
        environ: Mapping[str, str] = os.environ,
        *,
        dev: bool = False,
        allowed_origins: Sequence[str] = (),
    ) -> Settings:
        """Settings with what the environment sets: OKR_SUBSCRIPTION_RECHECK_SECONDS."""
        recheck = environ.get(RECHECK_VARIABLE) or str(RECHECK_SECONDS)
        try:
            seconds = float(recheck)
        except ValueError:
            seconds = math.nan
        if not (math.isfinite(seconds) and seconds > 0):
            raise ConfigurationError(f"{RECHECK_VARIABLE} must be a positive number of seconds")
        return cls(
            url, dev=dev, allowed_origins=allowed_origins, subscription_recheck_seconds=seconds
        )


@dataclass
class Running:
    """What the lifespan opened."""

    runtime: Runtime | None = None
    broadcaster: Broadcaster | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class OkrGraphQL(GraphQL[RequestContext, None]):
    """Strawberry's ASGI app with okr's context and token checks."""

    websocket_adapter_class = EscapedCloses
    graphql_transport_ws_handler_class = Transport

    def __init__(self, running: Running, settings: Settings) -> None:
        super().__init__(
            build_schema(dev=settings.dev),
            graphql_ide="graphiql" if settings.dev else None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=tuple(settings.allowed_origins),
        )
        self.running = running
        self.recheck_seconds = settings.subscription_recheck_seconds

    def decode_json(self, data: str | bytes) -> object:
        """The JSON `data` (UTF-8 if bytes); `Unreadable` if it is not valid Unicode. Only a
        `\\u` escape can write a lone surrogate, so most texts are not searched."""
        try:
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError("the body is not UTF-8", "", 0) from error
        value = super().decode_json(text)
        return Unreadable(value) if "\\u" in text and lone_surrogate(value) else value

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)
        if isinstance(parsed, Unreadable):
            raise HTTPException(400, NOT_UNICODE)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "The request body must be a JSON object")
        return parsed

    async def get_context(self, request: Request | WebSocket, response: Any) -> RequestContext:
        runtime, broadcaster = self.running.runtime, self.running.broadcaster
        assert runtime is not None
        assert broadcaster is not None
        caller = None
        if isinstance(request, Request):
            caller = await authenticate(runtime, request.headers.get("authorization"))
        return RequestContext(
            runtime,
            broadcaster,
            caller,
            request,
            response,
            recheck_seconds=self.recheck_seconds,
        )

    async def on_ws_connect(self, context: RequestContext) -> None:
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        if header is None and isinstance(params.get("token"), str):
            header = f"Bearer {params['token']}"
        context.credentials = header
        context.caller = await authenticate(context.backend, header)
        if context.caller is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})


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
    operation name) the same JSON shape as GraphQL errors, with a code and escaped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: dict[str, Any] = {}

        async def rewriting(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                plain = headers.get(b"content-type", b"").startswith(b"text/plain")
                if message["status"] >= 400 and plain:
                    held["start"] = message
                    return
            elif "start" in held and message["type"] == "http.response.body":
                text = message.get("body", b"").decode("utf-8", "replace")
                body = json.dumps({"errors": [coded(text, "BAD_REQUEST")]})
                start = held.pop("start")
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

        await self.app(scope, receive, rewriting)


class BodyTooLarge(Exception):
    """The request body grew past the limit."""


async def too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = JSONResponse(
        {"errors": [coded(f"request body over {limit} bytes", "PAYLOAD_TOO_LARGE")]},
        status_code=413,
    )
    await response(scope, receive, send)


def create_app(settings: Settings) -> Starlette:
    """The okr server for `settings`; stores open in the lifespan."""
    running = Running()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(COMMAND_THREADS, thread_name_prefix="okr-command")
        )
        runtime = await open_runtime(settings.url)
        broadcaster = Broadcaster(runtime.store)
        await broadcaster.start_at_head()
        runtime.runner.on_batch = lambda _: broadcaster.wake()
        running.runtime, running.broadcaster = runtime, broadcaster
        running.tasks = [
            asyncio.create_task(runtime.runner.run()),
            asyncio.create_task(broadcaster.run()),
        ]
        try:
            yield
        finally:
            for task in running.tasks:
                task.cancel()
            for task in running.tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await runtime.close()

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        runtime = running.runtime
        if runtime is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            await runtime.store.fetchrow("SELECT 1 AS ok")
            lag = await runtime.runner.lag()
        except Exception as error:
            return JSONResponse(
                {"status": "unavailable", "error": type(error).__name__}, status_code=503
            )
        ready = lag < READY_LAG
        return JSONResponse(
            {"status": "ready" if ready else "lagging", "lag": lag},
            status_code=200 if ready else 503,
        )

    graphql = OkrGraphQL(running, settings)
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(JsonErrors)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
