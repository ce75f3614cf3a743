"""The composition root: the event store, the read store and the runner, wired together."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from okr.infra.appenders import conditional_append
from okr.infra.event_store import DatabaseUrl
from okr.infra.postgres_setup import schema_setup
from okr.infra.read_store import ReadStore
from okr.infra.read_stores import open_read_store
from okr.infra.sqlite_read_store import SqliteReadStore
from okr.projections.registry import all_projections
from okr.projections.runner import ProjectionRunner
from okr.projections.source import EventSource
from okr.services.application import OkrApplication

READ_YOUR_WRITES_SECONDS = 2.0


@dataclass
class Ledger:
    """Everything a process needs: commands, views, and the runner that keeps views current."""

    url: DatabaseUrl
    app: OkrApplication
    store: ReadStore
    runner: ProjectionRunner

    async def caught_up(
        self, position: int | None, timeout: float = READ_YOUR_WRITES_SECONDS
    ) -> bool:
        """Read-your-writes: wait until every view has applied `position` (bounded)."""
        if position is None:
            return True
        return await self.runner.wait_for(position, timeout)

    async def close(self) -> None:
        await self.store.close()
        await asyncio.to_thread(self.app.close)


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


async def open_ledger(url: DatabaseUrl, *, batch_size: int | None = None) -> Ledger:
    """Open the stores named by `url` and create any missing view tables."""
    app = await asyncio.to_thread(open_application, url)
    store = await open_read_store(url)
    if isinstance(store, SqliteReadStore):
        app.saved_listeners.append(lambda _: store.signal_new_events())
    runner = ProjectionRunner(store, EventSource(app), all_projections())
    if batch_size is not None:
        runner.batch_size = batch_size
    await runner.setup()
    return Ledger(url, app, store, runner)
