"""The SQL one GraphQL operation runs, executed in-process as the server would: every
statement on the read store, and every read of one aggregate's events from the event store.
The benchmark replays them as raw SQL; the tests count them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from okr.bootstrap import READ_YOUR_WRITES_SECONDS
from okr.graphql.auth import authenticate
from okr.graphql.backend import Backend
from okr.graphql.broadcast import Broadcaster
from okr.graphql.context import RequestContext
from okr.graphql.schema import build_schema
from okr.services.application import OkrApplication
from okr.views.database import Row, SqlConnection

Statement = tuple[str, str, tuple[Any, ...]]
"""(method, SQL, parameters): `fetch`, `fetchrow` or `execute`, as the read store ran it."""

Vars = dict[str, Any]


class RecordingConnection:
    """A read-store connection that notes each statement in `log`, then runs it."""

    def __init__(self, inner: SqlConnection, log: list[Statement]) -> None:
        self.inner = inner
        self.log = log

    async def execute(self, sql: str, *params: Any) -> None:
        self.log.append(("execute", sql, params))
        await self.inner.execute(sql, *params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.log.append(("executemany", sql, (rows,)))
        await self.inner.executemany(sql, rows)

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        self.log.append(("append", table, (rows,)))
        await self.inner.append(table, rows)

    async def update_many(
        self, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        self.log.append(("update_many", table, (key, columns, rows)))
        await self.inner.update_many(table, key, columns, rows)

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        self.log.append(("fetch", sql, params))
        return await self.inner.fetch(sql, *params)

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        self.log.append(("fetchrow", sql, params))
        return await self.inner.fetchrow(sql, *params)


class RecordingBackend:
    """`inner` as the API sees it, its views noting every statement in `log`."""

    def __init__(self, inner: Backend, log: list[Statement]) -> None:
        self.inner = inner
        self.recording = RecordingConnection(inner.views, log)

    @property
    def app(self) -> OkrApplication:
        return self.inner.app

    @property
    def views(self) -> SqlConnection:
        return self.recording

    async def caught_up(
        self, position: int | None, timeout: float = READ_YOUR_WRITES_SECONDS
    ) -> bool:
        return await self.inner.caught_up(position, timeout)

    async def caught_up_with_log(self, timeout: float = READ_YOUR_WRITES_SECONDS) -> bool:
        return await self.inner.caught_up_with_log(timeout)

    async def lagging(self) -> bool:
        return await self.inner.lagging()


def record_event_reads(app: OkrApplication, log: list[Statement], sql: str) -> None:
    """Note in `log`, as `sql` with the aggregate's id, each whole read of one aggregate's
    events by `app` (folding an aggregate as it was reads them all, then stops at the
    moment asked)."""
    select = app.recorder.select_events

    def noting(
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        assert (gt, lte, desc, limit) == (None, None, False, None)
        log.append(("fetch", sql, (originator_id,)))
        events: Sequence[StoredEvent] = select(originator_id)
        return events

    app.recorder.select_events = noting  # type: ignore[method-assign]


class InProcess:
    """The server's per-request work without HTTP: authenticate, then execute the document."""

    def __init__(self, backend: Backend, token: str) -> None:
        self.backend = backend
        self.header = f"Bearer {token}"
        self.schema = build_schema()
        self.broadcaster = Broadcaster(backend.views)

    async def __call__(self, document: str, variables: Vars) -> dict[str, Any]:
        caller = await authenticate(self.backend, self.header)
        context = RequestContext(self.backend, self.broadcaster, caller)
        result = await self.schema.execute(
            document, variable_values=variables, context_value=context
        )
        return {"data": result.data, "errors": result.errors}
