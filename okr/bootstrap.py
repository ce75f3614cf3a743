"""The composition root: the event store, the read store and the runner, wired together."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from okr.infra.appenders import conditional_append
from okr.infra.event_feed import RecorderEventFeed
from okr.infra.event_store import DatabaseUrl
from okr.infra.postgres_read_store import PostgresReadStore
from okr.infra.postgres_setup import schema_setup
from okr.infra.sqlite_read_store import SqliteReadStore
from okr.services.application import OkrApplication
from okr.views.base import View
from okr.views.catalog import VIEWS, all_views
from okr.views.database import ReadStore
from okr.views.rebuild import Progress
from okr.views.view_runner import ViewRunner

READ_YOUR_WRITES_SECONDS = 2.0


@dataclass
class Runtime:
    """Everything a process needs: commands, views, and the runner that keeps views current."""

    url: DatabaseUrl
    app: OkrApplication
    store: ReadStore
    runner: ViewRunner

    async def caught_up(
        self, position: int | None, timeout: float = READ_YOUR_WRITES_SECONDS
    ) -> bool:
        """Read-your-writes: wait until every view has applied `position` (bounded)."""
        if position is None:
            return True
        return await self.runner.wait_for(position, timeout)

    async def caught_up_with_log(self, timeout: float = READ_YOUR_WRITES_SECONDS) -> bool:
        """Wait until every view has applied the last stored event (bounded)."""
        return await self.caught_up(await self.runner.source.head(), timeout)

    async def lagging(self) -> bool:
        """Whether the views have yet to apply some stored event."""
        return await self.runner.lag() > 0

    @property
    def views(self) -> ReadStore:
        """The views' database, for their query functions."""
        return self.store

    async def close(self) -> None:
        await self.store.close()
        await asyncio.to_thread(self.app.close)


async def open_read_store(url: DatabaseUrl, statement_seconds: float | None = None) -> ReadStore:
    """The views live in the events' SQLite file or PostgreSQL schema; `memory:` keeps them
    in memory too. On PostgreSQL, reads run at most `statement_seconds` (if given)."""
    if url.backend == "postgresql":
        store = await PostgresReadStore.open(
            url.postgres_dsn, url.schema, statement_seconds=statement_seconds
        )
        await store.install_notify_trigger()
        return store
    if url.backend == "memory":
        return await SqliteReadStore.open(Path(":memory:"))
    return await SqliteReadStore.open(url.sqlite_path)


def open_application(url: DatabaseUrl) -> OkrApplication:
    """The application on `url`'s event store, creating its tables only where missing.

    On PostgreSQL the set-up runs under an advisory lock, so processes that start together
    do not run DDL against each other or against writers.
    """
    if url.backend != "postgresql":
        return OkrApplication(env=url.event_store_env(), append_for=conditional_append)
    with schema_setup(url) as exists:
        env = url.event_store_env() | {"CREATE_TABLE": "n" if exists else "y"}
        return OkrApplication(env=env, append_for=conditional_append)


async def open_runtime(
    url: DatabaseUrl,
    *,
    batch_size: int | None = None,
    views: Sequence[type[View]] = VIEWS,
    on_rebuild: Progress | None = None,
    statement_seconds: float | None = None,
) -> Runtime:
    """Open the stores named by `url`, create any missing view tables, and rebuild beside
    the live ones, then swap in, any of `views` whose version changed (see ViewRunner). On
    PostgreSQL, a read statement running past `statement_seconds` is cancelled."""
    app = await asyncio.to_thread(open_application, url)
    store = await open_read_store(url, statement_seconds)
    if isinstance(store, SqliteReadStore):
        app.saved_listeners.append(lambda _: store.signal_new_events())
    feed = RecorderEventFeed(app)
    runner = ViewRunner(store, feed, all_views(views=views), on_rebuild=on_rebuild)
    if batch_size is not None:
        runner.batch_size = batch_size
    await runner.setup()
    return Runtime(url, app, store, runner)
