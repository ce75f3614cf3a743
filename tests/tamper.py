"""Edits a stored event behind the application's back, as an attacker with database access."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg
from psycopg import sql

from okr.infra.event_store import DatabaseUrl


def tamper(url: DatabaseUrl, position: int, old: bytes, new: bytes) -> None:
    """Replace `old` with `new` in the stored state of the event at `position`."""
    if url.backend == "sqlite":
        with closing(sqlite3.connect(url.sqlite_path)) as conn, conn:
            (state,) = conn.execute(
                "SELECT state FROM stored_events WHERE rowid = ?", (position,)
            ).fetchone()
            assert old in state
            conn.execute(
                "UPDATE stored_events SET state = ? WHERE rowid = ?",
                (state.replace(old, new), position),
            )
        return
    table = sql.Identifier(url.schema or "public", "okr_events")
    with psycopg.connect(url.postgres_dsn, autocommit=True) as pg:
        row = pg.execute(
            sql.SQL("SELECT state FROM {} WHERE notification_id = %s").format(table), (position,)
        ).fetchone()
        assert row is not None
        assert old in row[0]
        pg.execute(
            sql.SQL("UPDATE {} SET state = %s WHERE notification_id = %s").format(table),
            (bytes(row[0]).replace(old, new), position),
        )
