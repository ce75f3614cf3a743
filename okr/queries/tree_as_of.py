"""The whole objective tree of an organization as it was known at a moment.

Objectives and key results are folded from the event store up to that moment, so nothing
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
from okr.queries.past import PastAggregates, Tenant
from okr.views.database import SqlConnection
from okr.views.objectives import objective_ids_created_by


@dataclass(frozen=True)
class TreeNode:
    """An objective as it was, with its key results as they were."""

    objective: Objective
    key_results: tuple[KeyResult, ...]
    parent_id: UUID | None


async def tree_as_of(
    app: PastAggregates, conn: SqlConnection, caller: Tenant, at: datetime
) -> list[TreeNode]:
    """Every objective of the caller's organization that existed at `at`, as known then, in
    creation order."""
    organization_id = caller.organization_id
    ids = await objective_ids_created_by(conn, str(organization_id), at)

    def fold() -> list[TreeNode]:
        owners: dict[UUID, UUID] = {}
        nodes = []
        for raw in ids:
            try:
                objective = app.as_of(organization_id, Objective, UUID(raw), at)
            except NotFound:
                continue
            key_results = tuple(
                app.as_of(organization_id, KeyResult, k, at) for k in objective.key_result_ids
            )
            owners.update({k.id: objective.id for k in key_results})
            nodes.append((objective, key_results))

        def parent_of(objective: Objective) -> UUID | None:
            if objective.aligned_to_key_result_id is not None:
                return owners.get(objective.aligned_to_key_result_id)
            return objective.aligned_to_objective_id

        return [TreeNode(o, k, parent_of(o)) for o, k in nodes]

    return await asyncio.to_thread(fold)
