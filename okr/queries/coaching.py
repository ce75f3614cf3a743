"""Coaching advice per objective and per period, from the views and the domain's pure rules.

Advice depends on the moment it is asked (staleness, whether a lead has left), so it is
worked out on request rather than stored. Each question takes the same four statements
however many objectives it covers: the objectives, their key results, their leads and the
organization's policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from okr.domain.coaching import (
    Finding,
    KeyResultFacts,
    ObjectiveFacts,
    advise_objective,
    advise_period,
)
from okr.domain.values import (
    Metric,
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
    PersonalObjectivePolicy,
)
from okr.views.database import Row, SqlConnection
from okr.views.directory import organization, people_by_ids
from okr.views.key_results import key_results_of_objectives
from okr.views.objectives import objectives_by_ids, objectives_of_period


def _objective(row: Row) -> ObjectiveFacts:
    """The facts of an objectives view row."""
    return ObjectiveFacts(
        id=UUID(row["id"]),
        status=ObjectiveStatus(row["status"]),
        level=ObjectiveLevel(row["level"]),
        kind=ObjectiveKind(row["kind"]),
        aligned=row["aligned_objective_id"] is not None or row["aligned_key_result_id"] is not None,
        lead_id=UUID(row["lead_id"]),
    )


def _key_result(row: Row) -> KeyResultFacts:
    """The facts of a key results view row."""
    latest = row["effective_at"]
    return KeyResultFacts(
        id=UUID(row["id"]),
        title=row["title"],
        metric=Metric(row["metric"]),
        latest_effective_at=None if latest is None else datetime.fromisoformat(latest),
        created_at=datetime.fromisoformat(row["created_at"]),
    )


async def _findings(
    conn: SqlConnection, organization_id: str, objectives: list[Row], now: datetime
) -> dict[str, list[Finding]]:
    """Each objective's findings, by id."""
    own = await organization(conn, organization_id) if objectives else None
    if own is None:
        return {}
    policy = PersonalObjectivePolicy(own["personal_objectives"])
    ids = [o["id"] for o in objectives]
    key_results: dict[str, list[KeyResultFacts]] = {i: [] for i in ids}
    for row in await key_results_of_objectives(conn, organization_id, ids):
        key_results[row["objective_id"]].append(_key_result(row))
    leads = sorted({o["lead_id"] for o in objectives})
    active = {p["id"] for p in await people_by_ids(conn, organization_id, leads) if p["active"]}
    return {
        row["id"]: advise_objective(
            _objective(row),
            key_results[row["id"]],
            policy,
            now,
            lead_active=row["lead_id"] in active,
        )
        for row in objectives
    }


async def advice_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str], now: datetime
) -> dict[str, list[Finding]]:
    """Findings for each of these objectives and its key results, by id; none for an id the
    organization does not have."""
    found = await _findings(
        conn, organization_id, await objectives_by_ids(conn, organization_id, objective_ids), now
    )
    return {i: found.get(i, []) for i in objective_ids}


async def objective_advice(
    conn: SqlConnection, organization_id: str, objective_id: str, now: datetime
) -> list[Finding]:
    """Findings for one objective and its key results; none if there is no such objective."""
    return (await advice_of_objectives(conn, organization_id, [objective_id], now))[objective_id]


async def period_advice(
    conn: SqlConnection, organization_id: str, period_id: str, now: datetime
) -> list[Finding]:
    """Findings across a period: each objective's, oldest objective first, then lead overload."""
    objectives = await objectives_of_period(conn, organization_id, period_id)
    findings = await _findings(conn, organization_id, objectives, now)
    each = [f for o in objectives for f in findings.get(o["id"], [])]
    return each + advise_period([_objective(o) for o in objectives])
