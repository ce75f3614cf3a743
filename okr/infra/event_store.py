"""Chooses the event store from OKR_DATABASE_URL: SQLite by default, PostgreSQL in production."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlsplit

DEFAULT_SQLITE_PATH = "okr.sqlite"
LOCK_TIMEOUT_SECONDS = "5"
AGGREGATE_CACHE_SIZE = "5000"
POOL_SIZE, POOL_OVERFLOW = "8", "24"


class ConfigurationError(ValueError):
    """A setting okr cannot use, such as an OKR_DATABASE_URL that is not a URL it knows."""


@dataclass(frozen=True, repr=False)
class DatabaseUrl:
    """Where the events live: `sqlite:///path`, `postgresql://...` or `memory:`."""

    url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> DatabaseUrl:
        return cls(environ.get("OKR_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}")

    @property
    def backend(self) -> str:
        scheme = urlsplit(self.url).scheme
        if scheme in ("postgresql", "postgres"):
            return "postgresql"
        if scheme in ("sqlite", "memory"):
            return scheme
        raise ConfigurationError(
            "OKR_DATABASE_URL must start with sqlite:///, postgresql:// or memory:"
        )

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file: `sqlite:///okr.sqlite` is relative, `sqlite:////tmp/x` absolute."""
        path = unquote(urlsplit(self.url).path).removeprefix("/")
        if not path:
            raise ConfigurationError("a sqlite URL names a file: sqlite:///okr.sqlite")
        return Path(path)

    def event_store_env(self) -> dict[str, str]:
        """The `eventsourcing` settings for this URL."""
        cache = {"AGGREGATE_CACHE_MAXSIZE": AGGREGATE_CACHE_SIZE}
        if self.backend == "memory":
            return cache | {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.backend == "sqlite":
            return cache | {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": LOCK_TIMEOUT_SECONDS,
            }
        parts = urlsplit(self.url)
        try:
            port = parts.port
        except ValueError:
            raise ConfigurationError("the port in OKR_DATABASE_URL is not a number") from None
        env = cache | {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.removeprefix("/")) or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_LOCK_TIMEOUT": LOCK_TIMEOUT_SECONDS,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_ENABLE_DB_FUNCTIONS": "no",
            "POSTGRES_POOL_SIZE": POOL_SIZE,
            "POSTGRES_MAX_OVERFLOW": POOL_OVERFLOW,
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    @property
    def schema(self) -> str | None:
        """The PostgreSQL schema named by `?schema=`, if any."""
        return parse_qs(urlsplit(self.url).query).get("schema", [None])[0]

    @property
    def postgres_dsn(self) -> str:
        """The URL as a libpq DSN: okr's own `schema` parameter removed, the rest kept."""
        parts = urlsplit(self.url)
        kept = [(k, v) for k, v in parse_qsl(parts.query) if k != "schema"]
        return parts._replace(query=urlencode(kept)).geturl()

    def __repr__(self) -> str:
        return f"DatabaseUrl({self.redacted()!r})"

    def redacted(self) -> str:
        """The URL with any password hidden, for logs and messages."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
