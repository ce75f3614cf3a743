"""A throw-away PostgreSQL database for the test session, and a schema per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get("OKR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def required() -> bool:
    """PostgreSQL tests must run, not skip, under CI or when asked to."""
    return bool(os.environ.get("CI")) or bool(os.environ.get("OKR_REQUIRE_POSTGRES"))


def reachable() -> str | None:
    """None if the server answers, else why not."""
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip()


def database_url(dbname: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Create a database for this session and drop it afterwards; yields its URL."""
    dbname = f"okr_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        yield database_url(dbname)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
            )


@contextmanager
def throwaway_schema(url: str) -> Iterator[str]:
    """Create a schema in the session database and drop it afterwards; yields its name."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield schema
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
