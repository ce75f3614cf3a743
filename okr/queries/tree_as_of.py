"""The whole objective tree of an organization as it was known at a moment.

Objectives and key results are replayed from the event store up to that moment, so nothing
recorded later (a correction, a new lead, a revision) shows.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from okr.domain.errors import NotFound
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.services.application import OkrApplication
from okr.services.context import Context
from okr.views.base import iso
from okr.views.database import SqlConnection


@dataclass(frozen=True)
class TreeNode:
    """An objective as it was, with its key results as they were."""

    objective: Objective
    key_results: tuple[KeyResult, ...]
    parent_id: UUID | None


async def tree_as_of(
    app: OkrApplication, conn: SqlConnection, context: Context, at: datetime
) -> list[TreeNode]:
    """Every objective that existed at `at`, as known then, in creation order."""
    rows = await conn.fetch(
        "SELECT id FROM objectives WHERE organization_id = $1 AND created_at <= $2 "
        "ORDER BY created_at, id",
        str(context.organization_id),
        iso(at),
    )

    def replay() -> list[TreeNode]:
        owners: dict[UUID, UUID] = {}
        nodes = []
        for row in rows:
            try:
                objective = app.load(context, Objective, UUID(row["id"]), at=at)
            except NotFound:
                continue
            key_results = tuple(
                app.load(context, KeyResult, k, at=at) for k in objective.key_result_ids
            )
            owners.update({k.id: objective.id for k in key_results})
            nodes.append((objective, key_results))

        def parent_of(objective: Objective) -> UUID | None:
            if objective.aligned_to_key_result_id is not None:
                return owners.get(objective.aligned_to_key_result_id)
            return objective.aligned_to_objective_id

        return [TreeNode(o, k, parent_of(o)) for o, k in nodes]

    return await asyncio.to_thread(replay)
