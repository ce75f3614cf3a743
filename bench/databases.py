"""The bench's own PostgreSQL database and SQLite file, made fresh for each run."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from psycopg import sql

from okr.infra.event_store import DatabaseUrl

ADMIN_URL = os.environ.get(
    "OKR_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
WORKDIR = Path(os.environ.get("OKR_BENCH_WORKDIR", "/tmp/okr-bench"))


def postgres_url(dbname: str) -> DatabaseUrl:
    base, _, _ = ADMIN_URL.rpartition("/")
    return DatabaseUrl(f"{base}/{dbname}")


def sqlite_url(name: str) -> DatabaseUrl:
    return DatabaseUrl(f"sqlite:///{WORKDIR / name}.sqlite")


def exists(url: DatabaseUrl) -> bool:
    if url.backend == "sqlite":
        return url.sqlite_path.exists()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (dbname(url),)
        ).fetchone()
    return found is not None


def dbname(url: DatabaseUrl) -> str:
    return url.url.rpartition("/")[2].partition("?")[0]


def recreate(url: DatabaseUrl) -> None:
    """Drop whatever an earlier run left at `url` and start empty."""
    drop(url)
    if url.backend == "sqlite":
        url.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname(url))))


def drop(url: DatabaseUrl) -> None:
    if url.backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname(url)))
        )
