"""The key results view: its table and handlers (`view`), and its queries (`rows`)."""

from okr.views.key_results.rows import (
    KeyResultState,
    key_result_by_id,
    key_result_ids_of_objectives,
    key_results_by_ids,
    key_results_of_objectives,
    stale_at,
    state_at,
    target_revisions_of_key_results_known_at,
)
from okr.views.key_results.view import KeyResults, progress_columns

__all__ = [
    "KeyResultState",
    "KeyResults",
    "key_result_by_id",
    "key_result_ids_of_objectives",
    "key_results_by_ids",
    "key_results_of_objectives",
    "progress_columns",
    "stale_at",
    "state_at",
    "target_revisions_of_key_results_known_at",
]
