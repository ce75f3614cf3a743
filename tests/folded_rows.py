"""The key results view's row worked out from a folded aggregate: the oracle the as-of
answers are checked against."""

from __future__ import annotations

from okr.domain.key_result import KeyResult
from okr.views.base import iso
from okr.views.database import Row
from okr.views.key_results import progress_columns


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
