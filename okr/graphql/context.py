"""The per-request context: the backend and the caller; loaders live per operation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.extensions import SchemaExtension

from okr.graphql.admission import Admission, Refused
from okr.graphql.auth import authenticate
from okr.graphql.loaders import Loaders
from okr.graphql.permissions import Caller, unauthenticated
from okr.views.database import SqlConnection

if TYPE_CHECKING:
    from okr.graphql.backend import Backend
    from okr.graphql.broadcast import Broadcaster

_loaders: ContextVar[OperationLoaders] = ContextVar("okr_loaders")

RECHECK_SECONDS = 5.0
"""How often, by default, a running subscription checks that its token is still live."""


class OperationLoaders:
    """One operation's loaders, made on first use (a subscription never needs them)."""

    __slots__ = ("_loaders", "organization_id", "store")

    def __init__(self, store: SqlConnection, organization_id: str) -> None:
        self.store = store
        self.organization_id = organization_id
        self._loaders: Loaders | None = None

    def get(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.store, self.organization_id)
        return self._loaders


@dataclass
class RequestContext:
    """What every resolver may use. A WebSocket connection keeps one for all its operations."""

    backend: Backend
    broadcaster: Broadcaster
    caller: Caller | None
    request: Any = None
    response: Any = None
    connection_params: dict[str, Any] | None = None
    credentials: object = None
    recheck_seconds: float = RECHECK_SECONDS
    admission: Admission | None = None
    """The limits per token and per address; None admits everything."""
    held: ExitStack = field(default_factory=ExitStack)
    """What a WebSocket holds until it closes (its place among the token's sockets)."""

    @property
    def who(self) -> Caller:
        """The authenticated caller (root fields' permissions have checked there is one)."""
        if self.caller is None:
            raise unauthenticated()
        return self.caller

    @property
    def limit_key(self) -> str:
        """Whom the limits per token count this request against: its token, or without a
        valid one, its client's address."""
        if self.caller is not None:
            return self.caller.token_id
        return f"address:{client_address(self.request)}"

    def refuse(self, refusal: Refused) -> None:
        """Answer an HTTP request with 429 and a `Retry-After` header."""
        if self.response is not None and hasattr(self.response, "headers"):
            self.response.status_code = 429
            self.response.headers["Retry-After"] = refusal.retry_after_header

    def refresh_loaders(self) -> None:
        """Forget what this operation has loaded (after a mutation changed it)."""
        if self.caller is not None:
            _loaders.set(OperationLoaders(self.backend.views, str(self.caller.organization_id)))

    @property
    def loaders(self) -> Loaders:
        """The current operation's loaders."""
        return _loaders.get().get()


def client_address(request: object) -> str:
    """The address of the client of an HTTP request or a WebSocket (behind a proxy, what
    uvicorn's `--forwarded-allow-ips` lets the proxy say)."""
    client = getattr(request, "client", None)
    return str(client.host) if client is not None else "unknown"


Info = strawberry.Info[RequestContext, None]
"""The resolver's `info`, with okr's context."""


class LoadersPerOperation(SchemaExtension):
    """Fresh DataLoaders for each operation (each runs in its own task), never shared by the
    operations of one WebSocket connection. On a WebSocket the token is checked again for
    each operation, so a revoked token stops working on connections already open."""

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, RequestContext):
            yield
            return
        if context.caller is not None and context.connection_params is not None:
            context.caller = await authenticate(context.backend, context.credentials)
        context.refresh_loaders()
        yield
