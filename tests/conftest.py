"""Shared fixtures: an organization to act in, and stores on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from okr.bootstrap import Runtime, open_application, open_runtime
from okr.demo import Demo, load_demo
from okr.infra.event_store import DatabaseUrl
from okr.services.application import OkrApplication
from tests import postgres
from tests.world import World

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    if postgres.required():
        problem = postgres.reachable()
        if problem is not None:
            raise pytest.UsageError(
                "PostgreSQL tests are required (CI or OKR_REQUIRE_POSTGRES is set) "
                f"but the server is unreachable: {problem}"
            )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if postgres.required():
        return
    problem = postgres.reachable()
    if problem is not None:
        skip = pytest.mark.skip(reason=f"PostgreSQL unreachable: {problem}")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a selected PostgreSQL test that is skipped, or does not run, fails the run:
    those tests are not optional. A run that selects none (a subset) passes."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not postgres.required() or reporter is None:
        return
    selected = sum("postgres" in item.keywords for item in getattr(session, "items", []))
    if not selected:
        return
    skipped = [r for r in reporter.stats.get("skipped", []) if "postgres" in r.keywords]
    ran = [
        r
        for key in ("passed", "failed")
        for r in reporter.stats.get(key, [])
        if "postgres" in r.keywords and r.when == "call"
    ]
    if skipped or not ran:
        reporter.ensure_newline()
        reporter.write_line(
            f"PostgreSQL tests are required: {selected} selected, {len(ran)} ran, "
            f"{len(skipped)} skipped",
            red=True,
        )
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    with postgres.throwaway_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrl]:
    """A fresh, empty store on each backend: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield DatabaseUrl(f"sqlite:///{tmp_path / 'okr.sqlite'}")
        return
    base = request.getfixturevalue("postgres_database")
    with postgres.throwaway_schema(base) as schema:
        yield DatabaseUrl(f"{base}?schema={schema}")


@pytest.fixture
def store_app(database_url: DatabaseUrl) -> Iterator[OkrApplication]:
    """The application on a real store."""
    app = open_application(database_url)
    yield app
    app.close()


@pytest.fixture
def memory_app() -> Iterator[OkrApplication]:
    """The application on the in-memory store, for domain unit tests."""
    app = open_application(DatabaseUrl("memory:"))
    yield app
    app.close()


@pytest.fixture
def world(memory_app: OkrApplication) -> World:
    """Acme on the in-memory store."""
    return World.build(memory_app)


@pytest.fixture
async def runtime(database_url: DatabaseUrl) -> AsyncIterator[Runtime]:
    """The event store, the read store and the runner on a real backend."""
    opened = await open_runtime(database_url)
    yield opened
    await opened.close()


@pytest.fixture
async def demo(runtime: Runtime) -> Demo:
    """The Sunshine demo on a real backend, with every view caught up."""
    loaded = load_demo(runtime.app)
    await runtime.runner.catch_up()
    return loaded
