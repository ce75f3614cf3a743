"""Sends a view's writes in runs: uses of one statement go as one executemany.

A write joins the last run of the same statement when no write in between touches its table
(view tables have no triggers or foreign keys, so writes to different tables commute), so a
view's writes to each table keep their order. A read first sends everything pending, so
a view sees exactly what it would have seen had each statement gone alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from okr.views.database import Row, SqlConnection

_WRITES_TO = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)


@dataclass
class _Run:
    target: str
    appending: bool
    table: str | None
    rows: list[Sequence[Any]] = field(default_factory=list)


class BufferedConnection:
    """A SqlConnection that holds writes until a read, or `flush`, needs them sent."""

    def __init__(self, conn: SqlConnection) -> None:
        self._conn = conn
        self._pending: list[_Run] = []

    def _hold(self, target: str, appending: bool, table: str | None, row: Sequence[Any]) -> None:
        for run in reversed(self._pending):
            if run.target == target and run.appending == appending:
                run.rows.append(row)
                return
            if run.table is None or table is None or run.table == table:
                break
        self._pending.append(_Run(target, appending, table, [row]))

    async def execute(self, sql: str, *params: Any) -> None:
        written = _WRITES_TO.match(sql)
        self._hold(sql, False, written.group(1) if written else None, params)

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self._hold(table, True, table, row)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            await self.execute(sql, *row)

    async def update_many(
        self, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        await self.flush()
        await self._conn.update_many(table, key, columns, rows)

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        await self.flush()
        return await self._conn.fetch(sql, *params)

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        await self.flush()
        return await self._conn.fetchrow(sql, *params)

    async def flush(self) -> None:
        """Send every pending write, in order."""
        pending, self._pending = self._pending, []
        for run in pending:
            if run.appending:
                await self._conn.append(run.target, run.rows)
            elif len(run.rows) == 1:
                await self._conn.execute(run.target, *run.rows[0])
            else:
                await self._conn.executemany(run.target, run.rows)
