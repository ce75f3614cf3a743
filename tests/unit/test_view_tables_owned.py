"""Each view owns its tables: no module but the view's own names them in SQL.

A string names a table when it is the table's name alone (an argument to a base query),
holds it after an SQL keyword in any case (`FROM key_results`, `insert into {p}people`) or
after a comma in a statement's FROM list (`SELECT ... FROM memberships m, people p`),
qualifies a
column with it (`objectives.lead_id`), or holds a table name that is no English word
(`check_ins`). f-strings are read with their placeholders left out; docstrings, which are
prose (a parameter may share a table's name), are not read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import okr
from okr.views.catalog import all_views

OKR = Path(okr.__file__).parent
KEYWORDS = r"(?:FROM|JOIN|INTO|UPDATE|TABLE|EXISTS)"
FROM_LIST = r"\b(?:SELECT|DELETE|UPDATE)\b.*?\bFROM\s+(?:\w+(?:\s+(?:AS\s+)?\w+)?\s*,\s*)+"
"""A statement's FROM list up to a comma-joined table: the tables before it, each with its
alias. The statement keyword keeps prose out (`copied from Alice, people and teams`)."""


def owners() -> dict[str, Path]:
    """Each view table, with the module of the view owning it, or its package when the view
    is a package of modules."""
    found = {}
    for view in all_views():
        module = Path(type(view).__module__.replace(".", "/") + ".py")
        owner = module if module.parent == Path("okr/views") else module.parent
        found.update(dict.fromkeys(view.tables, owner))
    return found


def owned_by(path: Path, owner: Path) -> bool:
    return path == owner or owner in path.parents


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of `tree`'s module, classes and functions."""
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def texts(source: str) -> list[tuple[int, str, bool]]:
    """Every string literal of `source` but docstrings: its line, its text, and whether it
    stands alone (not a piece of an f-string). An f-string is read whole, its placeholders
    left out."""
    tree = ast.parse(source)
    found: list[tuple[int, str, bool]] = []
    pieces = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [p for p in node.values if isinstance(p, ast.Constant)]
            pieces.update(id(p) for p in parts)
            found.append((node.lineno, "".join(str(p.value) for p in parts), False))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in pieces
        ):
            found.append((node.lineno, node.value, True))
    return found


def names(text: str, table: str, *, alone: bool) -> bool:
    """Whether `text` names `table` as an SQL identifier (keywords in any case)."""
    return (
        (alone and text.strip() == table)
        or re.search(rf"\b{KEYWORDS}\s+{table}\b", text, re.IGNORECASE) is not None
        or re.search(rf"{FROM_LIST}{table}\b", text, re.IGNORECASE | re.DOTALL) is not None
        or re.search(rf"\b{table}\.\w", text) is not None
        or ("_" in table and re.search(rf"\b{table}\b", text) is not None)
    )


def findings(path: Path, shown_as: Path, tables: dict[str, Path]) -> list[tuple[str, int, str]]:
    """(file, line, table) for each table of another module that `path` names."""
    return sorted(
        {
            (str(shown_as), line, table)
            for line, text, alone in texts(path.read_text())
            for table, owner in tables.items()
            if not owned_by(shown_as, owner) and names(text, table, alone=alone)
        }
    )


def test_only_the_owning_view_names_its_tables() -> None:
    tables = owners()
    found = [
        finding
        for path in sorted(OKR.rglob("*.py"))
        for finding in findings(path, path.relative_to(OKR.parent), tables)
    ]
    assert [f"{file}:{line}: {table}" for file, line, table in found] == []


def test_the_scan_sees_a_table_named_by_another_module(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""Objectives and the people who lead them, from the periods of people."""\n'
        "async def leaky(conn, p, raw):\n"
        '    """Reads `key_results` FROM key_results."""\n'
        '    await conn.fetch("SELECT k.id FROM key_results k "\n'
        '                     "JOIN objectives o ON o.id = k.objective_id", raw)\n'
        '    await conn.execute(f"UPDATE {p}people SET active = 0")\n'
        '    await rows_by_ids(conn, "periods", raw)\n'
        '    await conn.fetch("SELECT id FROM teams WHERE id = $1", raw)\n'
        '    message = f"{len(raw)} teams; see check_ins"\n'
        '    return "ORDER BY objectives.created_at"\n'
        "async def lowercase_and_comma_joins(conn, p):\n"
        '    await conn.fetch("select * from objectives")\n'
        "    await conn.fetch(\n"
        '        f"SELECT p.id FROM {p}memberships m, {p}people AS p, initiatives i "\n'
        '        "WHERE m.person_id = p.id"\n'
        "    )\n"
        '    return "copied from Alice, people and teams"\n'
    )
    tables = owners()

    assert findings(planted, Path("okr/views/directory.py"), tables) == [
        ("okr/views/directory.py", 4, "key_results"),
        ("okr/views/directory.py", 4, "objectives"),
        ("okr/views/directory.py", 9, "check_ins"),
        ("okr/views/directory.py", 10, "objectives"),
        ("okr/views/directory.py", 12, "objectives"),
        ("okr/views/directory.py", 14, "initiatives"),
    ]
    assert [(line, table) for _, line, table in findings(planted, Path("x.py"), tables)] == [
        (4, "key_results"),
        (4, "objectives"),
        (6, "people"),
        (7, "periods"),
        (8, "teams"),
        (9, "check_ins"),
        (10, "objectives"),
        (12, "objectives"),
        (14, "initiatives"),
        (14, "memberships"),
        (14, "people"),
    ]
