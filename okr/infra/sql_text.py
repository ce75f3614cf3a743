"""SQL text the read-store adapters share."""

from __future__ import annotations

import re
from collections.abc import Sequence

_DOLLAR = re.compile(r"\$(\d+)")


def to_qmark(sql: str) -> str:
    """`$1` placeholders as SQLite's numbered `?1`."""
    return _DOLLAR.sub(r"?\1", sql)


def update_statement(table: str, key: str, columns: Sequence[str]) -> str:
    """UPDATE of `columns` ($1..$n) on the row whose `key` is $n+1."""
    assignments = ", ".join(f"{column} = ${n}" for n, column in enumerate(columns, 1))
    return f"UPDATE {table} SET {assignments} WHERE {key} = ${len(columns) + 1}"
