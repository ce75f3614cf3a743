"""The whole objective tree of an organization as it was known at a moment.

Objectives are folded from the event store up to that moment, so nothing recorded later (a
new lead, a new alignment) shows; the key results an objective aligns to are found in the
key results view (a key result never changes objective). Their state then comes from
`okr.queries.key_results_as_of`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from okr.domain.errors import NotFound
from okr.domain.objective import Objective
from okr.queries.past import PastAggregates, Tenant
from okr.views.database import SqlConnection
from okr.views.key_results import key_results_by_ids
from okr.views.objectives import objective_ids_created_by


@dataclass(frozen=True)
class TreeNode:
    """An objective as it was, and the objective it was aligned under then."""

    objective: Objective
    parent_id: UUID | None


async def tree_as_of(
    app: PastAggregates, conn: SqlConnection, caller: Tenant, at: datetime
) -> list[TreeNode]:
    """Every objective of the caller's organization that existed at `at`, as known then, in
    creation order."""
    organization_id = caller.organization_id
    ids = await objective_ids_created_by(conn, str(organization_id), at)

    def fold() -> list[Objective]:
        found = []
        for raw in ids:
            try:
                found.append(app.as_of(organization_id, Objective, UUID(raw), at))
            except NotFound:
                continue
        return found

    objectives = await asyncio.to_thread(fold)
    aligned = sorted(
        {str(o.aligned_to_key_result_id) for o in objectives if o.aligned_to_key_result_id}
    )
    owners = {
        UUID(row["id"]): UUID(row["objective_id"])
        for row in (
            await key_results_by_ids(conn, str(organization_id), aligned) if aligned else []
        )
    }

    def parent_of(objective: Objective) -> UUID | None:
        if objective.aligned_to_key_result_id is not None:
            return owners.get(objective.aligned_to_key_result_id)
        return objective.aligned_to_objective_id

    return [TreeNode(o, parent_of(o)) for o in objectives]
