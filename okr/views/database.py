"""The database port the views need: async SQL written once for PostgreSQL and SQLite.

Statements use PostgreSQL's `$1` placeholders (the SQLite adapter rewrites them). Values are
plain: text (ids and ISO times), integers and floats. The adapters live in okr.infra.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

Row = dict[str, Any]


class Lease(Protocol):
    """The outcome of asking to lead: whether this process leads, and whether it still does."""

    held: bool

    async def alive(self) -> bool: ...


class SqlConnection(Protocol):
    """A connection or an open transaction on the read store."""

    async def execute(self, sql: str, *params: Any) -> None: ...

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert whole rows (every column, in table order): COPY where the store has it."""
        ...

    async def update_many(
        self, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Set `columns` on many rows; each row holds their values, then its `key` value."""
        ...

    async def fetch(self, sql: str, *params: Any) -> list[Row]: ...

    async def fetchrow(self, sql: str, *params: Any) -> Row | None: ...


class ReadStore(SqlConnection, Protocol):
    """The read models' database."""

    dialect: str

    def transaction(self) -> AbstractAsyncContextManager[SqlConnection]:
        """A transaction: everything in it commits together or not at all."""
        ...

    def batch(self) -> AbstractAsyncContextManager[SqlConnection]:
        """A transaction that never runs at the same time as `setup` (so DDL and batches
        cannot take each other's locks in opposite orders)."""
        ...

    def setup(self) -> AbstractAsyncContextManager[SqlConnection]:
        """A transaction for DDL, serialized with every other process setting up this schema."""
        ...

    async def analyze(self, tables: Sequence[str]) -> None:
        """Refresh the planner's statistics of `tables` (and reclaim what updates left)."""
        ...

    def leadership(self, name: str) -> AbstractAsyncContextManager[Lease]:
        """Try to become the only runner of `name` for the duration of the block."""
        ...

    def wakeups(self) -> AbstractAsyncContextManager[asyncio.Event]:
        """Yields an event that is set whenever new events may have been stored."""
        ...

    async def close(self) -> None: ...
