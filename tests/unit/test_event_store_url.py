"""OKR_DATABASE_URL picks the event store; unset means ./okr.sqlite."""

from __future__ import annotations

import pytest

from okr.infra.event_store import ConfigurationError, DatabaseUrl


def test_unset_means_the_sqlite_file_okr_sqlite() -> None:
    url = DatabaseUrl.from_environ({})

    assert url.event_store_env() == {
        "AGGREGATE_CACHE_MAXSIZE": "5000",
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": "okr.sqlite",
        "SQLITE_LOCK_TIMEOUT": "5",
    }


def test_an_absolute_sqlite_path() -> None:
    url = DatabaseUrl.from_environ({"OKR_DATABASE_URL": "sqlite:////var/lib/okr/okr.sqlite"})

    assert url.event_store_env()["SQLITE_DBNAME"] == "/var/lib/okr/okr.sqlite"


def test_postgresql_keeps_the_table_lock_with_a_finite_timeout() -> None:
    env = DatabaseUrl("postgresql://okr:s%3Acret@db.internal:6432/ledger?schema=tenant1")

    assert env.event_store_env() == {
        "AGGREGATE_CACHE_MAXSIZE": "5000",
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "ledger",
        "POSTGRES_HOST": "db.internal",
        "POSTGRES_PORT": "6432",
        "POSTGRES_USER": "okr",
        "POSTGRES_PASSWORD": "s:cret",
        "POSTGRES_LOCK_TIMEOUT": "5",
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_ENABLE_DB_FUNCTIONS": "no",
        "POSTGRES_POOL_SIZE": "8",
        "POSTGRES_MAX_OVERFLOW": "24",
        "POSTGRES_SCHEMA": "tenant1",
    }


def test_the_password_never_shows_in_messages() -> None:
    url = DatabaseUrl("postgresql://okr:hunter2@db/ledger")

    assert url.redacted() == "postgresql://okr:***@db/ledger"


@pytest.mark.parametrize("raw", ["mysql://x/y", "okr.sqlite", "sqlite://"])
def test_other_urls_are_refused(raw: str) -> None:
    with pytest.raises(ConfigurationError):
        DatabaseUrl(raw).event_store_env()
