"""Serializes schema set-up across processes that start at once on one PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from okr.infra.event_store import DatabaseUrl

EVENTS_TABLE = "okr_events"


def lock_key(name: str) -> int:
    """A stable 63-bit advisory-lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") >> 1


def setup_lock_key(schema: str) -> int:
    """The advisory-lock key that guards DDL in `schema`."""
    return lock_key(f"okr-schema-setup:{schema}")


@contextmanager
def schema_setup(url: DatabaseUrl) -> Iterator[bool]:
    """Hold the schema's set-up lock (creating the schema if need be); yields whether the
    events table already exists."""
    schema = url.schema or "public"
    with psycopg.connect(url.postgres_dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (setup_lock_key(schema),))
        try:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            row = conn.execute("SELECT to_regclass(%s)", (f"{schema}.{EVENTS_TABLE}",)).fetchone()
            yield row is not None and row[0] is not None
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (setup_lock_key(schema),))
