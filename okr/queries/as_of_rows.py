"""Objectives folded to a past moment, in the objectives view's row shape, and a key
result's state judged with its objective as it was."""

from __future__ import annotations

from datetime import datetime

from okr.domain.objective import Objective
from okr.views.base import iso
from okr.views.database import Row
from okr.views.key_results import KeyResultState, state_at


def objective_row(objective: Objective) -> Row:
    return {
        "id": str(objective.id),
        "organization_id": str(objective.organization_id),
        "title": objective.title,
        "description": objective.description,
        "kind": objective.kind.value,
        "level": objective.level.value,
        "period_id": str(objective.period_id),
        "lead_id": str(objective.lead_id),
        "status": objective.status.value,
        "score": objective.score,
        "retrospective": objective.retrospective,
        "aligned_objective_id": _text(objective.aligned_to_objective_id),
        "aligned_key_result_id": _text(objective.aligned_to_key_result_id),
        "created_at": iso(objective.created_on),
        "updated_at": iso(objective.modified_on),
        "version": objective.version,
    }


def key_result_state(row: Row, schedule: Row, objective: Objective, at: datetime) -> KeyResultState:
    """Track status and staleness of a folded key result's row at `at`, as the view works
    them out, with its period's dates from `schedule` and its objective's status then."""
    return state_at({**row, **schedule, "objective_status": objective.status.value}, at)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
