"""Rebuild every view from the event store beside the live tables, compare, then swap.

The rebuilt tables are filled up to the head of the log, then (positions locked, so the live
views stand still) brought to the live position, compared row for row with the live tables,
and copied over them in the same transaction. The audit log is the exception: it holds the
hash chain recorded as events arrived, so where it differs it is kept as evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from okr.views.catalog import all_views
from okr.views.database import SqlConnection
from okr.views.view_runner import POSITIONS, ViewRunner, apply_batch

REBUILD_PREFIX = "rebuild_"


EVIDENCE = frozenset({"audit_log"})


@dataclass(frozen=True)
class Difference:
    """Rows of one table that only the live views, or only the rebuilt ones, hold."""

    table: str
    only_live: int
    only_rebuilt: int
    kept_live: bool = False


@dataclass(frozen=True)
class RebuildReport:
    position: int
    differences: list[Difference]


async def _count_except(conn: SqlConnection, left: str, right: str) -> int:
    row = await conn.fetchrow(
        f"SELECT COUNT(*) AS n FROM (SELECT * FROM {left} EXCEPT SELECT * FROM {right}) AS d"
    )
    return 0 if row is None else int(row["n"])


async def rebuild(
    runner: ViewRunner, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Replay the whole log into fresh tables, report differences and swap them in."""
    fresh = all_views(REBUILD_PREFIX)
    async with runner.store.setup() as conn:
        for projection in fresh:
            await projection.drop(conn)
            await projection.create(conn)
    reached = 0
    while batch := await runner.source.read(reached, runner.batch_size):
        async with runner.store.transaction() as conn:
            await apply_batch(conn, fresh, batch)
        reached = batch[-1].position
        if progress is not None:
            progress(len(batch))
    await runner.catch_up()
    async with runner.store.batch() as conn:
        await conn.execute(f"UPDATE {POSITIONS} SET position = position")
        live = await runner.position(conn)
        while reached < live:
            batch = await runner.source.read(reached, min(runner.batch_size, live - reached))
            if not batch:
                break
            await apply_batch(conn, fresh, batch)
            reached = batch[-1].position
        differences = []
        for projection in fresh:
            for table in projection.tables:
                only_live = await _count_except(conn, table, REBUILD_PREFIX + table)
                only_rebuilt = await _count_except(conn, REBUILD_PREFIX + table, table)
                differs = bool(only_live or only_rebuilt)
                keep = differs and table in EVIDENCE
                if differs:
                    differences.append(Difference(table, only_live, only_rebuilt, keep))
                if not keep:
                    await conn.execute(f"DELETE FROM {table}")
                    await conn.execute(f"INSERT INTO {table} SELECT * FROM {REBUILD_PREFIX}{table}")
            await projection.drop(conn)
    return RebuildReport(reached, differences)
