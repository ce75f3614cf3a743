"""Where each view has got and at which version, what tables exist, and applying a batch.

The positions table holds, per view, the last position applied and the version of the view
that applied it. Databases from before versions existed get the `version` column on start,
every existing view taken as version 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from okr.views.base import Envelope, View
from okr.views.batching import BufferedConnection
from okr.views.database import SqlConnection

POSITIONS = "projection_positions"


@dataclass(frozen=True)
class Stored:
    """A view's row in the positions table."""

    position: int
    version: int


async def create_positions(conn: SqlConnection, dialect: str) -> None:
    """Create the positions table, or add the version column to one from before versions."""
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {POSITIONS} (name TEXT PRIMARY KEY, "
        "position BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1)"
    )
    if "version" not in await columns_of(conn, dialect, POSITIONS):
        await conn.execute(f"ALTER TABLE {POSITIONS} ADD COLUMN version BIGINT NOT NULL DEFAULT 1")


async def stored(conn: SqlConnection) -> dict[str, Stored]:
    """Each view's stored position and version, by name."""
    rows = await conn.fetch(f"SELECT name, position, version FROM {POSITIONS}")
    return {r["name"]: Stored(int(r["position"]), int(r["version"])) for r in rows}


def passed_over(
    views: Sequence[View], rows: Mapping[str, Stored], *, newer_only: bool = False
) -> set[str]:
    """The names of the views (`views` in order, each after those it reads) stored at a
    version other than their declared one (only a newer one, if `newer_only`), and of every
    view that reads one of those, transitively. A process must neither write to tables of a
    version it does not declare nor derive its own rows from them."""
    names: set[str] = set()
    for view in views:
        row = rows.get(view.name)
        other = row is not None and (
            row.version > view.version if newer_only else row.version != view.version
        )
        if other or any(read.name in names for read in view.reads):
            names.add(view.name)
    return names


async def lock_positions(conn: SqlConnection) -> None:
    """Take the positions' locks (row locks on PostgreSQL, the write lock on SQLite) until
    the transaction ends, so no batch is applied meanwhile."""
    await conn.execute(f"UPDATE {POSITIONS} SET position = position")


async def record(conn: SqlConnection, view: View, position: int) -> None:
    """Store that `view`, at its declared version, has reached `position`."""
    await conn.execute(
        f"INSERT INTO {POSITIONS} (name, position, version) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
        "version = excluded.version",
        view.name,
        position,
        view.version,
    )


async def tables_present(conn: SqlConnection, dialect: str) -> set[str]:
    """The names of the tables in the read store's schema."""
    if dialect == "sqlite":
        rows = await conn.fetch("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = await conn.fetch(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    return {r["name"] for r in rows}


async def columns_of(conn: SqlConnection, dialect: str, table: str) -> list[str]:
    """The table's column names in order; none if there is no such table."""
    if dialect == "sqlite":
        rows = await conn.fetch("SELECT name FROM pragma_table_info($1) ORDER BY cid", table)
    else:
        rows = await conn.fetch(
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
    return [r["name"] for r in rows]


async def apply_batch(
    conn: SqlConnection,
    views: Sequence[View],
    batch: Sequence[Envelope],
    reached: dict[str, int] | None = None,
) -> None:
    """Apply `batch` to each view in turn, from the first event it has not reached
    (`reached` maps names to positions; none means every view starts from nothing).

    Views are taken in the order given, which puts each after the views it reads, and
    read only their own tables and those of views already applied: taking them one at a time
    gives the same rows as taking the events one at a time, and lets each view send
    its writes in runs.
    """
    for view in views:
        after = 0 if reached is None else reached.get(view.name, 0)
        todo = [envelope for envelope in batch if envelope.position > after]
        if todo:
            buffered = BufferedConnection(conn)
            await view.apply_batch(todo, buffered)
            await buffered.flush()
