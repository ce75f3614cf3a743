"""`okr replay`: every view rebuilt beside the live ones, compared row by row, swapped in.

Views this process passes over (stored at a newer version by a newer process, or reading
one) are left alone: rebuilding them here would bring them back to this process's version.

The rebuilt tables are filled up to the head of the log and the live views caught up; then,
positions locked, the rebuilt tables are brought to the live position, compared with the live
ones on the columns both have (by name, so a view whose columns changed compares too), and
swapped in, all in one transaction (okr.views.rebuild). The audit log is the exception: it
holds the hash chain recorded as events arrived, so where it differs it is kept as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from okr.views.audit_log import AuditLog
from okr.views.database import SqlConnection
from okr.views.rebuild import PREFIX, Beside, Progress, rebuild_lease, rows_only_in
from okr.views.view_runner import ViewRunner

EVIDENCE = frozenset(AuditLog.tables)


@dataclass(frozen=True)
class Difference:
    """Rows of one table that only the live views, or only the rebuilt ones, hold."""

    table: str
    only_live: int
    only_rebuilt: int
    kept_live: bool = False


@dataclass(frozen=True)
class ReplayReport:
    """The position every view was rebuilt to, and the tables that differed."""

    position: int
    differences: list[Difference]


async def replay(runner: ViewRunner, progress: Progress | None = None) -> ReplayReport:
    """Replay the whole log into fresh tables, report differences and swap them in. Views
    this process passes over (stored at another version, or reading one) are left alone."""
    async with rebuild_lease(runner) as lease:
        beside = Beside(runner, await runner.applied(), lease)
        await beside.fill(progress)
        await runner.catch_up()
        async with beside.locked() as conn:
            differences = await _differences(conn, runner.store.dialect, beside)
            kept = {d.table for d in differences if d.kept_live}
            keep = {view.name for view in beside.fresh if kept.intersection(view.tables)}
            await beside.swap(conn, keep)
    return ReplayReport(beside.reached, differences)


async def _differences(conn: SqlConnection, dialect: str, beside: Beside) -> list[Difference]:
    found = []
    for view in beside.fresh:
        for table in view.tables:
            only_live = await rows_only_in(conn, dialect, table, PREFIX + table)
            only_rebuilt = await rows_only_in(conn, dialect, PREFIX + table, table)
            if only_live or only_rebuilt:
                found.append(Difference(table, only_live, only_rebuilt, table in EVIDENCE))
    return found
