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


def imports(path: Path, package: str) -> set[tuple[str, str]]:
    """(module, name) for every import in the file, TYPE_CHECKING blocks included, the file
    belonging to the dotted `package`: `import x` gives (x, ""); relative imports are
    resolved against `package`; `from okr import x` gives (okr.x, ""), since okr's names are
    its subpackages; `importlib.import_module("x")` and `__import__("x")` with a constant
    string give (x, ""), and `__import__("x", fromlist=[...])` reads like `from x import ...`."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update((alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = absolute(node.module or "", node.level, package)
            if module:
                found.update(imported(module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Call) and dynamic_import(node.func):
            found.update(dynamic(node, package))
    return found


def absolute(module: str, level: int, package: str) -> str:
    """The module a `from` import with `level` leading dots names, seen from `package`;
    "" when the dots climb out of the top package."""
    if level == 0:
        return module
    parts = package.split(".")
    if level > len(parts):
        return ""
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, module] if module else base)


def imported(module: str, name: str) -> tuple[str, str]:
    """What `from module import name` imports: okr's own names are its subpackages."""
    return (f"{module}.{name}", "") if module == "okr" else (module, name)


def dynamic_import(func: ast.expr) -> bool:
    """Whether a call of `func` imports: `__import__`, `import_module` or
    `importlib.import_module`."""
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def dynamic(call: ast.Call, package: str) -> set[tuple[str, str]]:
    """The imports of an `import_module`/`__import__` call whose module is a constant string
    (a relative one is read against `package`)."""
    if not call.args or not isinstance(name := call.args[0], ast.Constant):
        return set()
    if not isinstance(name.value, str):
        return set()
    stripped = name.value.lstrip(".")
    module = absolute(stripped, len(name.value) - len(stripped), package)
    fromlist = next(
        (keyword.value for keyword in call.keywords if keyword.arg == "fromlist"),
        call.args[3] if len(call.args) > 3 else None,
    )
    names = [
        element.value
        for element in getattr(fromlist, "elts", [])
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ]
    if not module:
        return set()
    if names:
        return {imported(module, each) for each in names}
    return {(module, "")}


def package_of(path: Path, root: Path, package: str) -> str:
    """The dotted package of the module at `path`, under `root`, which is okr's `package`."""
    return ".".join(["okr", package, *path.parent.relative_to(root).parts])


def offenders(package: str, root: Path) -> set[str]:
    """What the modules under `root`, which belong to `package`, import against the rules."""
    found = set()
    for path in sorted(root.rglob("*.py")):
        for module, name in imports(path, package_of(path, root, package)):
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
        for module, _ in imports(path, package_of(path, OKR / "domain", "domain"))
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


def test_a_view_importing_the_write_side_through_okr_is_caught(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text("from okr import domain, services\n")
    assert offenders("views", tmp_path) == {"views/leaky.py: okr.services"}


def test_a_view_importing_the_write_side_relatively_is_caught(tmp_path: Path) -> None:
    (tmp_path / "objectives").mkdir()
    (tmp_path / "leaky.py").write_text(
        "from . import database\n"
        "from .catalog import all_views\n"
        "from ..domain.objective import Objective\n"
        "from ..services.application import OkrApplication\n"
    )
    (tmp_path / "objectives" / "__init__.py").write_text(
        "from . import rows\nfrom ... import services\n"
    )
    (tmp_path / "objectives" / "rows.py").write_text(
        "from .people import lead\nfrom ...services import commands\n"
    )
    assert offenders("views", tmp_path) == {
        "views/leaky.py: okr.services.application",
        "views/__init__.py: okr.services",
        "views/rows.py: okr.services",
    }


def test_a_view_importing_the_write_side_at_run_time_is_caught(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(
        "import importlib\n"
        "from importlib import import_module\n"
        "importlib.import_module('okr.domain.objective')\n"
        "importlib.import_module('okr.services.application')\n"
        "import_module('..services.commands', __package__)\n"
        "__import__('okr.services.runner')\n"
        "__import__('okr', fromlist=['domain', 'infra'])\n"
        "importlib.import_module(name_chosen_at_run_time)\n"
    )
    assert offenders("views", tmp_path) == {
        "views/leaky.py: okr.services.application",
        "views/leaky.py: okr.services.commands",
        "views/leaky.py: okr.services.runner",
        "views/leaky.py: okr.infra",
    }


def test_graphql_reaching_for_the_store_or_a_driver_is_caught(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(
        "import asyncpg\n"
        "from okr.views.database import ReadStore, Row\n"
        "from okr.infra.event_store import DatabaseUrl\n"
        "from okr import infra\n"
        "from ..views.database import ReadStore as Store\n"
        "__import__('psycopg')\n"
    )
    assert offenders("graphql", tmp_path) == {
        "graphql/leaky.py: asyncpg",
        "graphql/leaky.py: okr.views.database.ReadStore",
        "graphql/leaky.py: okr.infra.event_store",
        "graphql/leaky.py: okr.infra",
        "graphql/leaky.py: psycopg",
    }


def test_a_relative_import_resolves_against_the_module_s_package(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        "from . import sibling\n"
        "from .sibling import name\n"
        "from .. import catalog\n"
        "from ...domain import objective\n"
        "from ... import services\n"
        "from .... import beyond_the_top\n"
    )
    assert imports(tmp_path / "module.py", "okr.views.objectives") == {
        ("okr.views.objectives", "sibling"),
        ("okr.views.objectives.sibling", "name"),
        ("okr.views", "catalog"),
        ("okr.domain", "objective"),
        ("okr.services", ""),
    }
