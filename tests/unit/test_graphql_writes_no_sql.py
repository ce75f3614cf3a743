"""okr/graphql never writes SQL and never names a view's tables: it calls the views' query
functions (each view module owns its tables and the statements that read them)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import okr.graphql
from okr.views.catalog import all_views
from okr.views.view_runner import POSITIONS

GRAPHQL = Path(okr.graphql.__file__).parent
SQL = re.compile(r"\b(select|insert|update|delete)\b.*\b(from|into|set)\b", re.IGNORECASE)


def view_tables() -> set[str]:
    """Every table the views create, and the table of their positions."""
    return {table for view in all_views() for table in view.tables} | {POSITIONS}


def names_a_table(text: str, tables: set[str], *, whole: bool = True) -> bool:
    """A string that is a table name (unless it is a piece of an f-string: `f"{n} teams"`),
    or that holds one that is no English word (`key_results`)."""
    return (whole and text.strip() in tables) or any(
        re.search(rf"\b{table}\b", text) for table in tables if "_" in table
    )


def sql_findings(path: Path, tables: set[str]) -> list[str]:
    """Each line of `path` that looks like SQL or names a view table, as `file:line: why`.
    Prose may use a table's word (`from teams`); `FROM teams`, in capitals, is SQL."""
    source = path.read_text()
    names = "|".join(sorted(tables, key=len, reverse=True))
    from_table = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE)\s+({names})\b")
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(source.splitlines(), 1):
        if SQL.search(line) or from_table.search(line):
            found.add((number, "SQL"))
    tree = ast.parse(source)
    pieces = {
        id(p) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for p in node.values
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value) or from_table.search(node.value):
                found.add((node.lineno, "SQL"))
            if names_a_table(node.value, tables, whole=id(node) not in pieces):
                found.add((node.lineno, "a view table's name"))
    return [f"{path.name}:{number}: {why}" for number, why in sorted(found)]


def test_graphql_modules_hold_no_sql_and_no_table_names() -> None:
    tables = view_tables()
    offenders = [
        finding for path in sorted(GRAPHQL.rglob("*.py")) for finding in sql_findings(path, tables)
    ]
    assert offenders == [], (
        "SQL in okr/graphql; move it to the view owning the table:\n" + "\n".join(offenders)
    )


def test_the_scan_sees_planted_sql_and_table_names(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""The people in a team, and the teams of a period."""\n'
        "async def leaky(store, info, raw):\n"
        '    await store.fetch("select * from people where id = $1", raw)\n'
        '    await store.fetch("SELECT id "\n'
        '                      "FROM key_results WHERE objective_id = $1", raw)\n'
        '    row = await fresh(info, "check_ins", raw)\n'
        '    raise ValueError(f"at most {len(raw)} teams")\n'
        '    return "Teams of objectives, from teams owning them"\n'
    )

    assert sql_findings(planted, view_tables()) == [
        "planted.py:3: SQL",
        "planted.py:4: SQL",
        "planted.py:4: a view table's name",
        "planted.py:5: SQL",
        "planted.py:6: a view table's name",
    ]
