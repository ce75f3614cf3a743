"""The alignment tree: ancestors and descendants of an objective, read from the views.

An objective's parent is the directional objective it aligns to, or the objective that owns
the key result it aligns to (`objectives.parent_objective_id`). Each walk carries the path it
took and visits every objective once, so a cycle that an older version let into the log ends
the walk instead of repeating it.
"""

from __future__ import annotations

from okr.views.database import Row, SqlConnection

MAX_DEPTH = 50


async def descendants(conn: SqlConnection, organization_id: str, objective_id: str) -> list[Row]:
    """Every objective aligned below `objective_id`, with its parent and depth, top down."""
    return await conn.fetch(
        "WITH RECURSIVE tree (id, parent_id, depth, path) AS ("
        " SELECT id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        " WHERE id = $1 AND organization_id = $2"
        " UNION ALL"
        " SELECT o.id, o.parent_objective_id, tree.depth + 1, tree.path || ',' || o.id"
        " FROM objectives o JOIN tree ON o.parent_objective_id = tree.id"
        f" WHERE tree.depth < {MAX_DEPTH} AND tree.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, tree.depth FROM tree JOIN objectives o ON o.id = tree.id"
        " WHERE tree.depth > 0 ORDER BY tree.depth, o.created_at, o.id",
        objective_id,
        organization_id,
    )


async def ancestors(conn: SqlConnection, organization_id: str, objective_id: str) -> list[Row]:
    """The objectives above `objective_id`, nearest first."""
    return await conn.fetch(
        "WITH RECURSIVE chain (id, parent_id, depth, path) AS ("
        " SELECT id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        " WHERE id = $1 AND organization_id = $2"
        " UNION ALL"
        " SELECT o.id, o.parent_objective_id, chain.depth + 1, chain.path || ',' || o.id"
        " FROM objectives o JOIN chain ON o.id = chain.parent_id"
        f" WHERE chain.depth < {MAX_DEPTH} AND chain.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, chain.depth FROM chain JOIN objectives o ON o.id = chain.id"
        " WHERE chain.depth > 0 ORDER BY chain.depth",
        objective_id,
        organization_id,
    )
