"""Coaching advice per objective and per period, from the domain's pure rules.

Advice depends on the moment it is asked (staleness, whether a lead has left), so it is
computed on request from the aggregates rather than stored.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import UUID

from okr.domain.coaching import Finding, advise_objective, advise_period
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.organization import Organization, Person
from okr.services.application import OkrApplication
from okr.services.context import Context
from okr.views.database import SqlConnection


def _objective_findings(
    app: OkrApplication, context: Context, objective: Objective, now: datetime
) -> list[Finding]:
    key_results = [app.load(context, KeyResult, k) for k in objective.key_result_ids]
    policy = app.load(context, Organization, context.organization_id).personal_objectives
    lead = app.load(context, Person, objective.lead_id)
    return advise_objective(objective, key_results, policy, now, lead_active=lead.active)


async def objective_advice(
    app: OkrApplication, context: Context, objective_id: UUID, now: datetime
) -> list[Finding]:
    """Findings for one objective and its key results."""

    def advise() -> list[Finding]:
        objective = app.load(context, Objective, objective_id)
        return _objective_findings(app, context, objective, now)

    return await asyncio.to_thread(advise)


async def period_advice(
    app: OkrApplication, conn: SqlConnection, context: Context, period_id: UUID, now: datetime
) -> list[Finding]:
    """Findings across a period: each objective's, then lead overload."""
    rows = await conn.fetch(
        "SELECT id FROM objectives WHERE organization_id = $1 AND period_id = $2 "
        "ORDER BY created_at, id",
        str(context.organization_id),
        str(period_id),
    )

    def advise() -> list[Finding]:
        objectives = [app.load(context, Objective, UUID(r["id"])) for r in rows]
        findings = [f for o in objectives for f in _objective_findings(app, context, o, now)]
        return findings + advise_period(objectives)

    return await asyncio.to_thread(advise)
