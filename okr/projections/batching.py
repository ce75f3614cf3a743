"""Sends a projection's writes in runs: consecutive uses of one statement go as one executemany.

Writes keep their order, and a read first sends everything pending, so a projection sees
exactly what it would have seen had each statement gone alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from okr.infra.read_store import Connection, Row


class BufferedConnection:
    """A Connection that holds writes until a read, or `flush`, needs them sent."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pending: list[tuple[str, bool, list[Sequence[Any]]]] = []

    def _hold(self, target: str, appending: bool, row: Sequence[Any]) -> None:
        if self._pending and self._pending[-1][:2] == (target, appending):
            self._pending[-1][2].append(row)
        else:
            self._pending.append((target, appending, [row]))

    async def execute(self, sql: str, *params: Any) -> None:
        self._hold(sql, False, params)

    async def append(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self._hold(table, True, row)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            await self.execute(sql, *row)

    async def fetch(self, sql: str, *params: Any) -> list[Row]:
        await self.flush()
        return await self._conn.fetch(sql, *params)

    async def fetchrow(self, sql: str, *params: Any) -> Row | None:
        await self.flush()
        return await self._conn.fetchrow(sql, *params)

    async def flush(self) -> None:
        """Send every pending write, in order."""
        pending, self._pending = self._pending, []
        for target, appending, rows in pending:
            if appending:
                await self._conn.append(target, rows)
            elif len(rows) == 1:
                await self._conn.execute(target, *rows[0])
            else:
                await self._conn.executemany(target, rows)
