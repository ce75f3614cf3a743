"""The read-store port: async SQL written once for PostgreSQL and SQLite.

Statements use PostgreSQL's `$1` placeholders; the SQLite adapter rewrites them to `?1`.
Values are plain: text (ids and ISO times), integers and floats.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

Row = dict[str, Any]
_DOLLAR = re.compile(r"\$(\d+)")


def to_qmark(sql: str) -> str:
    """`$1` placeholders as SQLite's numbered `?1`."""
    return _DOLLAR.sub(r"?\1", sql)


def update_statement(table: str, key: str, columns: Sequence[str]) -> str:
    """UPDATE of `columns` ($1..$n) on the row whose `key` is $n+1."""
    assignments = ", ".join(f"{column} = ${n}" for n, column in enumerate(columns, 1))
    return f"UPDATE {table} SET {assignments} WHERE {key} = ${len(columns) + 1}"


class Lease(Protocol):
    """The outcome of asking to lead: whether this process leads, and whether it still does."""

    held: bool

    async def alive(self) -> bool: ...


class Connection(Protocol):
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


class ReadStore(Connection, Protocol):
    """The read models' database."""

    dialect: str

    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A transaction: everything in it commits together or not at all."""
        ...

    def batch(self) -> AbstractAsyncContextManager[Connection]:
        """A transaction that never runs at the same time as `setup` (so DDL and batches
        cannot take each other's locks in opposite orders)."""
        ...

    def setup(self) -> AbstractAsyncContextManager[Connection]:
        """A transaction for DDL, serialized with every other process setting up this schema."""
        ...

    def leadership(self, name: str) -> AbstractAsyncContextManager[Lease]:
        """Try to become the only runner of `name` for the duration of the block."""
        ...

    def wakeups(self) -> AbstractAsyncContextManager[asyncio.Event]:
        """Yields an event that is set whenever new events may have been stored."""
        ...

    async def close(self) -> None: ...
