"""A server per backend for each test module that asks for one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from okr.infra.event_store import DatabaseUrl
from tests import postgres
from tests.e2e.server import Server, serve

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`okr serve --demo` on a fresh SQLite file or PostgreSQL schema, shared by a module.
    A module's `SERVER_ENV` (a dict), if it has one, is added to the server's environment."""
    folder = tmp_path_factory.mktemp("server")
    env: dict[str, str] = getattr(request.module, "SERVER_ENV", {})
    if request.param == "sqlite":
        url = DatabaseUrl(f"sqlite:///{folder / 'okr.sqlite'}")
        with serve(url, folder / "server.log", env=env) as s:
            yield s
        return
    base = request.getfixturevalue("postgres_database")
    with (
        postgres.throwaway_schema(base) as schema,
        serve(DatabaseUrl(f"{base}?schema={schema}"), folder / "server.log", env=env) as running,
    ):
        yield running
