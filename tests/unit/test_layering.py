"""Dependencies point one way: domain <- services, and domain <- views <- queries <- graphql;
infra plugs in at the composition root (okr.bootstrap, okr.server, okr.cli)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import okr

OKR = Path(okr.__file__).parent
DRIVERS = frozenset({"asyncpg", "psycopg", "psycopg_pool", "aiosqlite", "sqlite3"})
WEB = frozenset({"strawberry", "starlette", "uvicorn", "graphql"})

ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "services": {"domain", "services"},
    "views": {"domain", "views"},
    "queries": {"domain", "views", "queries"},
    "audit": {"domain", "views", "queries", "audit"},
    "graphql": {"domain", "services", "views", "queries", "graphql"},
    "infra": {"domain", "services", "views", "infra"},
}
"""The okr packages each package may import (the composition root may import any)."""

FORBIDDEN_LIBRARIES: dict[str, frozenset[str]] = {
    "domain": DRIVERS | WEB,
    "services": DRIVERS | WEB,
    "views": DRIVERS | WEB,
    "queries": DRIVERS | WEB,
    "audit": DRIVERS | WEB,
    "graphql": DRIVERS,
}
FORBIDDEN_NAMES: dict[str, frozenset[str]] = {"graphql": frozenset({"ReadStore"})}


def imports(path: Path) -> set[tuple[str, str]]:
    """(module, name) for every absolute import in the file, TYPE_CHECKING blocks included;
    `import x` gives (x, "")."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update((alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.update((node.module, alias.name) for alias in node.names)
    return found


def offenders(package: str, root: Path) -> set[str]:
    """What the modules under `root`, which belong to `package`, import against the rules."""
    found = set()
    for path in sorted(root.rglob("*.py")):
        for module, name in imports(path):
            top, _, rest = module.partition(".")
            inner = rest.partition(".")[0]
            if top == "okr" and inner and inner not in ALLOWED[package]:
                found.add(f"{package}/{path.name}: {module}")
            if top in FORBIDDEN_LIBRARIES.get(package, frozenset()):
                found.add(f"{package}/{path.name}: {module}")
            if name in FORBIDDEN_NAMES.get(package, frozenset()):
                found.add(f"{package}/{path.name}: {module}.{name}")
    return found


def test_every_package_is_covered() -> None:
    packages = {p.name for p in OKR.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"cli", "demo"} == set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_the_package_imports_only_what_its_layer_may(package: str) -> None:
    assert offenders(package, OKR / package) == set()


def test_the_domain_imports_nothing_but_stdlib_and_eventsourcing() -> None:
    outside = {
        module
        for path in (OKR / "domain").rglob("*.py")
        for module, _ in imports(path)
        if module.split(".")[0] not in sys.stdlib_module_names | {"eventsourcing", "okr"}
    }
    assert outside == set()


def test_a_view_importing_the_write_side_is_caught(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from okr.domain.objective import Objective\n"
        "if TYPE_CHECKING:\n"
        "    from okr.services.application import OkrApplication\n"
    )
    assert offenders("views", tmp_path) == {"views/leaky.py: okr.services.application"}


def test_graphql_reaching_for_the_store_or_a_driver_is_caught(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(
        "import asyncpg\n"
        "from okr.views.database import ReadStore, Row\n"
        "from okr.infra.event_store import DatabaseUrl\n"
    )
    assert offenders("graphql", tmp_path) == {
        "graphql/leaky.py: asyncpg",
        "graphql/leaky.py: okr.views.database.ReadStore",
        "graphql/leaky.py: okr.infra.event_store",
    }
