"""The alignment tree: ancestors and descendants of an objective, read from the views.

An objective's parent is the directional objective it aligns to, or the objective that owns
the key result it aligns to. Each walk visits every objective once, so a cycle that an older
version let into the log ends the walk instead of repeating it.
"""

from __future__ import annotations

from okr.views.database import Row, SqlConnection
from okr.views.objectives import objective_ancestors, objective_descendants


async def descendants(conn: SqlConnection, organization_id: str, objective_id: str) -> list[Row]:
    """Every objective aligned below `objective_id`, with its parent and depth, top down."""
    return await objective_descendants(conn, organization_id, objective_id)


async def ancestors(conn: SqlConnection, organization_id: str, objective_id: str) -> list[Row]:
    """The objectives above `objective_id`, nearest first."""
    return await objective_ancestors(conn, organization_id, objective_id)
