"""Reads the views directly, from a test process, on either backend."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg

from okr.infra.event_store import DatabaseUrl


def scalar(url: DatabaseUrl, query: str) -> int:
    """The single number `query` returns, or 0 where the views do not exist yet."""
    if url.backend == "sqlite":
        with closing(sqlite3.connect(url.sqlite_path, timeout=10)) as conn, conn:
            try:
                return int(conn.execute(query).fetchone()[0] or 0)
            except sqlite3.OperationalError:
                return 0
    with psycopg.connect(url.postgres_dsn, autocommit=True) as pg:
        pg.execute(f"SET search_path TO {url.schema or 'public'}")
        try:
            row = pg.execute(query).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
        return int(row[0] or 0) if row else 0


def position(url: DatabaseUrl) -> int:
    """The position every view has reached."""
    return scalar(url, "SELECT MIN(position) FROM projection_positions")


def count(url: DatabaseUrl, table: str) -> int:
    return scalar(url, f"SELECT COUNT(*) FROM {table}")
