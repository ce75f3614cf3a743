"""Alignment as `okr check` judges it: the domain's rules for the parent an event names, then
its cycle check over the ancestors the log built."""

from __future__ import annotations

from collections.abc import Iterator

from okr.audit.findings import Breach, refusal
from okr.audit.state import LogState, known
from okr.domain.alignment import ancestor_ids, check_alignment, check_no_cycle, check_one_parent
from okr.domain.errors import OkrError
from okr.domain.objective import Objective


def alignment_breaches(
    state: LogState, event: Objective.Aligned, objective: Objective
) -> Iterator[Breach]:
    """What the domain refuses in `event`, which aligns `objective`: a parent named wrongly
    (INVALID_INPUT, NOT_FOUND), INVALID_ALIGNMENT and ALIGNMENT_CYCLE."""
    target = event.parent_key_result_id or event.parent_objective_id
    ids = (objective.id,) if target is None else (objective.id, target)
    try:
        parent = parent_named(state, event)
    except OkrError as error:
        yield Breach.of(error, ids)
        return
    period = state.periods.get(objective.period_id)
    parent_period = state.periods.get(parent.period_id)
    if period is not None and parent_period is not None:
        yield from refusal(
            ids,
            lambda: check_alignment(
                objective,
                parent,
                event.parent_key_result_id,
                period=period,
                parent_period=parent_period,
            ),
        )
    yield from refusal(ids, lambda: check_no_cycle(objective.id, ancestor_ids(parent, state.above)))


def parent_named(state: LogState, event: Objective.Aligned) -> Objective:
    """The objective `event` aligns under, directly or through one of its key results."""
    objective_id, key_result_id = event.parent_objective_id, event.parent_key_result_id
    check_one_parent(objective_id, key_result_id)
    field = "parentObjectiveId"
    if key_result_id is not None:
        field = "parentKeyResultId"
        objective_id = known(
            state.key_results.get(key_result_id), "KeyResult", key_result_id, field
        )
    assert objective_id is not None
    return known(state.objectives.get(objective_id), "Objective", objective_id, field)
