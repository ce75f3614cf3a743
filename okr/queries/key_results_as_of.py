"""Key results as they were known at a moment, from the bitemporal tables: the key results
view's row (whose title, scale, unit and weight never change) with the check-ins recorded by
then that no correction recorded by then supersedes, and the targets revised by then.

The row has the key results view's shape, its progress worked out by the view's own
`progress_columns`, so an as-of answer and a current one cannot disagree on the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from okr.views.base import iso
from okr.views.check_in_history import every_check_in_of_key_results
from okr.views.database import Row, SqlConnection
from okr.views.key_results import (
    key_results_by_ids,
    progress_columns,
    target_revisions_of_key_results_known_at,
)


def _as_of(row: Row, check_ins: list[Row], revisions: list[Row], moment: str) -> Row:
    """`row` as it stood at `moment`, given its check-ins (all of them, in the order
    recorded) and its target revisions recorded by then (oldest first)."""
    recorded = [c for c in check_ins if c["recorded_at"] <= moment]
    standing = [c for c in recorded if c["superseded_at"] is None or c["superseded_at"] > moment]
    current = max(standing, key=lambda c: (c["effective_at"], c["recorded_at"]), default=None)
    changes = [c["recorded_at"] for c in recorded] + [r["revised_at"] for r in revisions]
    then: Row = {
        **row,
        "target": revisions[-1]["target"] if revisions else row["original_target"],
        "current_value": None if current is None else current["value"],
        "confidence": None if current is None else current["confidence"],
        "current_check_in_id": None if current is None else current["id"],
        "effective_at": None if current is None else current["effective_at"],
        "last_check_in_at": max((c["recorded_at"] for c in recorded), default=None),
        "updated_at": max([row["created_at"], *changes]),
        "version": 1 + len(changes),
    }
    return then | progress_columns(then)


async def key_results_as_of(
    conn: SqlConnection, organization_id: str, key_result_ids: Sequence[str], at: datetime
) -> dict[str, Row | None]:
    """Each key result as known at `at`, by id; None for one not created by then, or not of
    the organization. Three statements, whatever the number asked."""
    moment = iso(at)
    rows = [
        r
        for r in await key_results_by_ids(conn, organization_id, key_result_ids)
        if r["created_at"] <= moment
    ]
    found: dict[str, Row | None] = dict.fromkeys(key_result_ids)
    if not rows:
        return found
    ids = [r["id"] for r in rows]
    check_ins: dict[str, list[Row]] = {i: [] for i in ids}
    for c in await every_check_in_of_key_results(conn, organization_id, ids):
        check_ins[c["key_result_id"]].append(c)
    revisions: dict[str, list[Row]] = {i: [] for i in ids}
    for r in await target_revisions_of_key_results_known_at(conn, organization_id, ids, at):
        revisions[r["key_result_id"]].append(r)
    for row in rows:
        found[row["id"]] = _as_of(row, check_ins[row["id"]], revisions[row["id"]], moment)
    return found
