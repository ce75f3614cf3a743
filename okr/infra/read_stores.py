"""Opens the read store that sits beside the configured event store."""

from __future__ import annotations

from pathlib import Path

from okr.infra.event_store import DatabaseUrl
from okr.infra.postgres_read_store import PostgresReadStore
from okr.infra.read_store import ReadStore
from okr.infra.sqlite_read_store import SqliteReadStore


async def open_read_store(url: DatabaseUrl) -> ReadStore:
    """Read models live in the events' SQLite file or PostgreSQL schema; `memory:` keeps
    them in memory too."""
    if url.backend == "postgresql":
        store = await PostgresReadStore.open(url.postgres_dsn, url.schema)
        await store.install_notify_trigger()
        return store
    if url.backend == "memory":
        return await SqliteReadStore.open(Path(":memory:"))
    return await SqliteReadStore.open(url.sqlite_path)
