"""Alignment rules: an executable objective aligns to a directional objective or to a key
result, not archived, of a period covering its own, within its organization (see
`references`), and never under itself."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from okr.audit.findings import Finding
from okr.audit.state import LogState, ObjectiveState
from okr.domain.objective import Objective
from okr.domain.values import ObjectiveKind, ObjectiveStatus


def alignment_findings(
    state: LogState, event: Objective.Aligned, objective: ObjectiveState
) -> Iterator[Finding]:
    """ALIGNMENT_TARGET and ALIGNMENT_CYCLE for `event`, which aligns `objective`."""
    subject = event.originator_id
    if objective.kind is not ObjectiveKind.EXECUTABLE:
        message = "only an executable objective can be aligned"
        yield Finding("ALIGNMENT_TARGET", (subject,), message)
    target, parent_id, problem = _parent(state, event)
    ids = (subject,) if target is None else (subject, target)
    if problem:
        yield Finding("ALIGNMENT_TARGET", ids, problem)
    parent = None if parent_id is None else state.objectives.get(parent_id)
    if parent is not None:
        yield from _parent_fits(state, ids, objective, parent)
    if parent_id is not None and subject in state.ancestors(parent_id):
        yield Finding("ALIGNMENT_CYCLE", ids, "the objective would be its own ancestor")


def _parent_fits(
    state: LogState, ids: tuple[UUID, ...], objective: ObjectiveState, parent: ObjectiveState
) -> Iterator[Finding]:
    if parent.status is ObjectiveStatus.ARCHIVED:
        yield Finding("ALIGNMENT_TARGET", ids, "the parent objective is archived")
    period = state.periods.get(objective.period_id)
    parent_period = state.periods.get(parent.period_id)
    if period is not None and parent_period is not None and not parent_period.covers(period):
        message = f"the parent's period {parent_period.name} does not cover {period.name}"
        yield Finding("ALIGNMENT_TARGET", ids, message)


def _parent(state: LogState, event: Objective.Aligned) -> tuple[UUID | None, UUID | None, str]:
    """The target named, the objective it stands for, and what is wrong with it, if anything."""
    objective_id, key_result_id = event.parent_objective_id, event.parent_key_result_id
    if key_result_id is not None and objective_id is None:
        key_result = state.key_results.get(key_result_id)
        if key_result is None:
            return key_result_id, None, f"key result {key_result_id} does not exist"
        return key_result_id, key_result.objective_id, ""
    if objective_id is not None and key_result_id is None:
        parent = state.objectives.get(objective_id)
        if parent is None:
            return objective_id, None, f"objective {objective_id} does not exist"
        if parent.kind is not ObjectiveKind.DIRECTIONAL:
            return objective_id, objective_id, f"objective {objective_id} is not directional"
        return objective_id, objective_id, ""
    return None, None, "an alignment names one parent objective or one parent key result"
