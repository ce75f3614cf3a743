"""The alignment walks over `parent_objective_id`: descendants and ancestors, each
objective once, so a cycle an older version let into the log ends the walk."""

from __future__ import annotations

from collections.abc import Sequence

from okr.domain.alignment import MAX_ALIGNMENT_DEPTH
from okr.views.base import (
    marks,
)
from okr.views.database import Row, SqlConnection


async def objective_descendants(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> list[Row]:
    """Every objective whose chain of `parent_objective_id` leads to `objective_id`, with its
    `depth` below it, top down; each objective once, so a cycle ends the walk."""
    return await conn.fetch(
        "WITH RECURSIVE tree (id, parent_id, depth, path) AS ("
        " SELECT id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        " WHERE id = $1 AND organization_id = $2"
        " UNION ALL"
        " SELECT o.id, o.parent_objective_id, tree.depth + 1, tree.path || ',' || o.id"
        " FROM objectives o JOIN tree ON o.parent_objective_id = tree.id"
        f" WHERE tree.depth < {MAX_ALIGNMENT_DEPTH} AND tree.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, tree.depth FROM tree JOIN objectives o ON o.id = tree.id"
        " WHERE tree.depth > 0 ORDER BY tree.depth, o.created_at, o.id",
        objective_id,
        organization_id,
    )


async def objective_ancestors(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> list[Row]:
    """The objectives up `objective_id`'s chain of `parent_objective_id`, with their `depth`,
    nearest first."""
    rows = await ancestors_of_objectives(conn, organization_id, [objective_id])
    return [{k: v for k, v in row.items() if k != "descendant_id"} for row in rows]


async def ancestors_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The ancestors of many objectives at once: each ancestor's row with its `depth` and the
    `descendant_id` it was reached from, nearest first; each objective once per walk, so a
    cycle ends it."""
    return await conn.fetch(
        "WITH RECURSIVE chain (descendant_id, id, parent_id, depth, path) AS ("
        " SELECT id, id, parent_objective_id, 0, CAST(id AS TEXT) FROM objectives"
        f" WHERE organization_id = $1 AND id IN ({marks(len(objective_ids), 2)})"
        " UNION ALL"
        " SELECT chain.descendant_id, o.id, o.parent_objective_id, chain.depth + 1,"
        " chain.path || ',' || o.id"
        " FROM objectives o JOIN chain ON o.id = chain.parent_id"
        f" WHERE chain.depth < {MAX_ALIGNMENT_DEPTH} AND chain.path NOT LIKE '%' || o.id || '%')"
        " SELECT o.*, chain.descendant_id, chain.depth FROM chain"
        " JOIN objectives o ON o.id = chain.id"
        " WHERE chain.depth > 0 ORDER BY chain.descendant_id, chain.depth",
        organization_id,
        *objective_ids,
    )
