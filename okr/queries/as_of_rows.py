"""Aggregates folded to a past moment, in the same row shape as the views."""

from __future__ import annotations

from datetime import datetime

from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.views.base import iso
from okr.views.database import Row
from okr.views.key_results import KeyResultState, progress_columns, state_at


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


def key_result_row(key_result: KeyResult) -> Row:
    """The key results view's row for `key_result` as folded, progress worked out as there."""
    current = key_result.current
    recorded = [c.recorded_at for c in key_result.check_ins]
    row: Row = {
        "id": str(key_result.id),
        "organization_id": str(key_result.organization_id),
        "objective_id": str(key_result.objective_id),
        "title": key_result.title,
        "metric": key_result.metric.value,
        "start_value": key_result.start,
        "original_target": key_result.original_target,
        "target": key_result.target,
        "unit": key_result.unit,
        "weight": key_result.weight,
        "current_value": None if current is None else current.value,
        "confidence": None if current is None else current.confidence,
        "current_check_in_id": None if current is None else str(current.id),
        "effective_at": None if current is None else iso(current.effective_at),
        "last_check_in_at": iso(max(recorded)) if recorded else None,
        "created_at": iso(key_result.created_on),
        "updated_at": iso(key_result.modified_on),
        "version": key_result.version,
    }
    return row | progress_columns(row)


def key_result_state(row: Row, schedule: Row, objective: Objective, at: datetime) -> KeyResultState:
    """Track status and staleness of a folded key result's row at `at`, as the view works
    them out, with its period's dates from `schedule` and its objective's status then."""
    return state_at({**row, **schedule, "objective_status": objective.status.value}, at)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
