"""okr/domain imports only the standard library, eventsourcing and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import okr.domain

DOMAIN = Path(okr.domain.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module)
    return roots


def test_the_domain_imports_nothing_but_stdlib_and_eventsourcing() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in DOMAIN.rglob("*.py")
        for name in imported_roots(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name.split(".")[0] != "eventsourcing"
        and not name.startswith("okr.domain")
    }
    assert offenders == set()


def test_the_check_sees_an_outward_import(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.py"
    leaky.write_text("import asyncpg\nfrom okr.graphql import schema\nfrom okr.domain import x\n")

    assert imported_roots(leaky) == {"asyncpg", "okr.graphql", "okr.domain"}
