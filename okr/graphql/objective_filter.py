"""The `objectives` list's filter, its global ids decoded for the view."""

from __future__ import annotations

import strawberry

from okr.domain.values import ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.graphql.ids import decode_id
from okr.views.objectives import ObjectiveCriteria


@strawberry.input
class ObjectiveFilter:
    period_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None
    lead_id: strawberry.ID | None = None
    status: ObjectiveStatus | None = None
    level: ObjectiveLevel | None = None
    kind: ObjectiveKind | None = None


def objective_criteria(where: ObjectiveFilter) -> ObjectiveCriteria:
    """The filter with its global ids decoded; a malformed id is refused."""

    def raw(value: strawberry.ID | None, type_name: str, field: str) -> str | None:
        return None if value is None else str(decode_id(value, type_name, field))

    return ObjectiveCriteria(
        period_id=raw(where.period_id, "Period", "periodId"),
        lead_id=raw(where.lead_id, "Person", "leadId"),
        team_id=raw(where.team_id, "Team", "teamId"),
        status=where.status,
        level=where.level,
        kind=where.kind,
    )
