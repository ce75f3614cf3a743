"""Aggregates replayed to a past moment, in the same row shape as the views."""

from __future__ import annotations

from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.progress import progress
from okr.infra.read_store import Row
from okr.projections.base import iso


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
    current = key_result.current
    value = None if current is None else current.value
    revised = progress(key_result.metric, key_result.start, key_result.target, value)
    original = progress(key_result.metric, key_result.start, key_result.original_target, value)
    recorded = [c.recorded_at for c in key_result.check_ins]
    return {
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
        "current_value": value,
        "confidence": None if current is None else current.confidence,
        "effective_at": None if current is None else iso(current.effective_at),
        "last_check_in_at": iso(max(recorded)) if recorded else None,
        "progress": revised.value,
        "progress_unclamped": revised.unclamped,
        "original_progress": original.value,
        "original_progress_unclamped": original.unclamped,
        "created_at": iso(key_result.created_on),
        "updated_at": iso(key_result.modified_on),
        "version": key_result.version,
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)
