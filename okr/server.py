"""The Starlette application: GraphQL over HTTP and WebSocket, health, and the lifespan
that opens the stores and runs the views and the subscription broadcaster."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, TypeVar, cast

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from okr.bootstrap import Runtime, open_runtime
from okr.graphql.admission import Admission, Limits, Refused
from okr.graphql.auth import authenticate
from okr.graphql.broadcast import Broadcaster
from okr.graphql.context import RECHECK_SECONDS, RequestContext
from okr.graphql.cost import MAX_QUERY_COST
from okr.graphql.json_input import PAYLOAD_TOO_LARGE, Unreadable, decode
from okr.graphql.schema import OPERATION_SECONDS, build_schema
from okr.graphql.transport import BodyLimit, EscapedCloses, JsonErrors, Transport
from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.metrics import CollectionTimer, metrics_endpoint, watch_event_loop

MAX_BODY_BYTES = 256 * 1024
MAX_SUBSCRIPTIONS_PER_SOCKET = 100
READY_LAG = 1000
DECODED_BESIDE_BYTES = 32 * 1024
T = TypeVar("T")
STATEMENT_GRACE_SECONDS = 1.0
"""PostgreSQL's statement timeout is the query time limit and this: the query is cancelled
first, and answered with its code; the database's timeout is there if that cancel is lost."""
COMMAND_THREADS = 32
RECHECK_VARIABLE = "OKR_SUBSCRIPTION_RECHECK_SECONDS"
BODY_BYTES_VARIABLE = "OKR_MAX_BODY_BYTES"
SUBSCRIPTIONS_VARIABLE = "OKR_MAX_SUBSCRIPTIONS_PER_SOCKET"
MAX_COST_VARIABLE = "OKR_MAX_QUERY_COST"
OPERATION_VARIABLE = "OKR_OPERATION_TIMEOUT_SECONDS"
LIMIT_VARIABLES = {
    "requests_per_second": "OKR_RATE_LIMIT_PER_SECOND",
    "cost_per_second": "OKR_MAX_COST_PER_SECOND",
    "operations_per_token": "OKR_MAX_OPERATIONS_PER_TOKEN",
    "sockets_per_token": "OKR_MAX_SOCKETS_PER_TOKEN",
    "sockets_per_address": "OKR_MAX_SOCKETS_PER_ADDRESS",
}
INIT_VARIABLE = "OKR_CONNECTION_INIT_SECONDS"
METRICS_VARIABLE = "OKR_METRICS_TOKEN"
CONNECTION_INIT_SECONDS = 10.0


@dataclass
class Settings:
    url: DatabaseUrl
    dev: bool = False
    allowed_origins: Sequence[str] = ()
    max_body_bytes: int = MAX_BODY_BYTES
    """The most bytes an HTTP request body, or a WebSocket message, may hold."""
    max_subscriptions_per_socket: int = MAX_SUBSCRIPTIONS_PER_SOCKET
    """The most operations (subscriptions, and queries still running) one socket runs."""
    subscription_recheck_seconds: float = RECHECK_SECONDS
    """How often a running subscription checks that its token is still live."""
    max_query_cost: int = MAX_QUERY_COST
    """The most an operation may cost (`okr.graphql.cost`); costlier ones are refused."""
    operation_seconds: float = OPERATION_SECONDS
    """How long a query may run before it is cancelled (mutations always finish)."""
    limits: Limits = field(default_factory=Limits)
    """What one token, or one client address, may use at once."""
    connection_init_seconds: float = CONNECTION_INIT_SECONDS
    """How long a new WebSocket may take to send `connection_init` before it is closed."""
    metrics_token: str | None = field(default=None, repr=False)
    """The bearer token /metrics asks for; None keeps /metrics hidden."""

    @classmethod
    def from_environ(
        cls,
        url: DatabaseUrl,
        environ: Mapping[str, str] = os.environ,
        *,
        dev: bool = False,
        allowed_origins: Sequence[str] = (),
    ) -> Settings:
        """Settings from the environment: OKR_SUBSCRIPTION_RECHECK_SECONDS, OKR_MAX_QUERY_COST,
        OKR_MAX_BODY_BYTES, OKR_MAX_SUBSCRIPTIONS_PER_SOCKET, OKR_OPERATION_TIMEOUT_SECONDS,
        OKR_CONNECTION_INIT_SECONDS, OKR_METRICS_TOKEN and the limits of LIMIT_VARIABLES."""
        defaults = Limits()
        limits = Limits(
            **{
                name: whole_number(environ, variable, getattr(defaults, name))
                for name, variable in LIMIT_VARIABLES.items()
            }
        )
        return cls(
            url,
            dev=dev,
            max_body_bytes=whole_number(environ, BODY_BYTES_VARIABLE, MAX_BODY_BYTES),
            max_subscriptions_per_socket=whole_number(
                environ, SUBSCRIPTIONS_VARIABLE, MAX_SUBSCRIPTIONS_PER_SOCKET
            ),
            allowed_origins=allowed_origins,
            subscription_recheck_seconds=seconds(environ, RECHECK_VARIABLE, RECHECK_SECONDS),
            max_query_cost=whole_number(environ, MAX_COST_VARIABLE, MAX_QUERY_COST),
            operation_seconds=seconds(environ, OPERATION_VARIABLE, OPERATION_SECONDS),
            limits=limits,
            connection_init_seconds=seconds(environ, INIT_VARIABLE, CONNECTION_INIT_SECONDS),
            metrics_token=environ.get(METRICS_VARIABLE) or None,
        )


def seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """The positive number of seconds the environment variable `name` sets, else `default`."""
    text = environ.get(name) or str(default)
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigurationError(f"{name} must be a positive number of seconds")
    return value


def whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    """The positive whole number the environment variable `name` sets, else `default`."""
    text = environ.get(name) or str(default)
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise ConfigurationError(f"{name} must be a positive whole number")
    return int(text)


_decoded: ContextVar[tuple[bytes | str, Outcome[object]]] = ContextVar("okr_decoded_body")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a call returned or raised, to be had where the call could not run."""

    value: T | None = None
    error: Exception | None = None

    @classmethod
    def of(cls, call: Callable[..., T], *args: Any) -> Outcome[T]:
        try:
            return cls(value=call(*args))
        except Exception as error:
            return cls(error=error)

    def get(self) -> T:
        if self.error is not None:
            raise self.error
        return cast(T, self.value)


def refused(refusal: Refused) -> JSONResponse:
    """The HTTP answer to a request refused by a limit per token: 429, with Retry-After."""
    return JSONResponse(
        {"data": None, "errors": [refusal.error().formatted]},
        status_code=429,
        headers={"Retry-After": refusal.retry_after_header},
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
            build_schema(
                dev=settings.dev,
                max_cost=settings.max_query_cost,
                time_limit=settings.operation_seconds,
            ),
            graphql_ide="graphiql" if settings.dev else None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=tuple(settings.allowed_origins),
            connection_init_wait_timeout=timedelta(seconds=settings.connection_init_seconds),
        )
        self.running = running
        self.admission = Admission(settings.limits)
        self.recheck_seconds = settings.subscription_recheck_seconds
        self.max_message_bytes = settings.max_body_bytes
        self.max_subscriptions_per_connection = settings.max_subscriptions_per_socket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Refused as refusal:
            await refused(refusal)(scope, receive, send)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        """As strawberry parses it; a body over DECODED_BESIDE_BYTES is decoded in a thread,
        so that the event loop goes on serving others meanwhile."""
        body = await request.get_body()
        if len(body) <= DECODED_BESIDE_BYTES:
            return await super().parse_http_body(request)
        decoded = await asyncio.to_thread(Outcome.of, self.decode_json, body)
        held = _decoded.set((body, decoded))
        try:
            return await super().parse_http_body(request)
        finally:
            _decoded.reset(held)

    def decode_json(self, data: str | bytes) -> object:
        """The JSON `data` (UTF-8 if bytes), an HTTP body or a WebSocket message; `Unreadable`
        if past okr's limits (`okr.graphql.json_input`)."""
        held = _decoded.get(None)
        if held is not None and held[0] is data:
            return held[1].get()
        try:
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        except UnicodeDecodeError as error:
            raise HTTPException(400, "The request body is not valid UTF-8.") from error
        return decode(text, self.max_message_bytes)

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)
        if isinstance(parsed, Unreadable):
            raise HTTPException(413 if parsed.code == PAYLOAD_TOO_LARGE else 400, parsed.problem)
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
        context = RequestContext(
            runtime,
            broadcaster,
            caller,
            request,
            response,
            recheck_seconds=self.recheck_seconds,
            admission=self.admission,
        )
        if isinstance(request, Request):
            self.admission.request(context.limit_key)
        return context

    async def on_ws_connect(self, context: RequestContext) -> None:
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        if header is None and isinstance(params.get("token"), str):
            header = f"Bearer {params['token']}"
        context.credentials = header
        context.caller = await authenticate(context.backend, header)
        if context.caller is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        context.held.enter_context(self.admission.socket(context.caller.token_id))


def create_app(settings: Settings) -> Starlette:
    """The okr server for `settings`; stores open in the lifespan."""
    running = Running()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(COMMAND_THREADS, thread_name_prefix="okr-command")
        )
        statement_seconds = settings.operation_seconds + STATEMENT_GRACE_SECONDS
        runtime = await open_runtime(settings.url, statement_seconds=statement_seconds)
        broadcaster = Broadcaster(runtime.store)
        await broadcaster.start_at_head()
        runtime.runner.on_batch = lambda _: broadcaster.wake()
        running.runtime, running.broadcaster = runtime, broadcaster
        running.tasks = [
            asyncio.create_task(runtime.runner.run()),
            asyncio.create_task(broadcaster.run()),
            asyncio.create_task(watch_event_loop()),
        ]
        try:
            with CollectionTimer():
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
            Route("/metrics", metrics_endpoint(settings.metrics_token)),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(JsonErrors)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
