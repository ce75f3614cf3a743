"""Alignment rules: what an objective may align under, and the walk that refuses cycles."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from okr.domain.errors import AlignmentCycle, InvalidAlignment, InvalidInput, quoted
from okr.domain.period import Period
from okr.domain.values import ObjectiveKind, ObjectiveStatus

if TYPE_CHECKING:
    from okr.domain.objective import Objective

MAX_ALIGNMENT_DEPTH = 100


def check_one_parent(parent_objective_id: UUID | None, parent_key_result_id: UUID | None) -> None:
    """An alignment names a parent objective or a parent key result, not both."""
    if (parent_objective_id is None) == (parent_key_result_id is None):
        raise InvalidInput("name either a parent objective or a parent key result", "parentId")


def check_alignment(
    objective: Objective,
    parent: Objective,
    key_result_id: UUID | None,
    *,
    period: Period,
    parent_period: Period,
) -> None:
    """An executable objective aligns to a directional objective of its organization, or to
    a key result of one of its objectives, not archived, whose period covers its own."""
    if objective.kind is not ObjectiveKind.EXECUTABLE:
        raise InvalidAlignment("only an executable objective can be aligned", "objectiveId")
    if parent.organization_id != objective.organization_id:
        raise InvalidAlignment("alignment stays within one organization", "parentId")
    if key_result_id is None and parent.kind is not ObjectiveKind.DIRECTIONAL:
        raise InvalidAlignment(
            "an objective aligns to a directional objective or to a key result", "parentId"
        )
    if parent.status is ObjectiveStatus.ARCHIVED:
        raise InvalidAlignment("an objective cannot align to an archived one", "parentId")
    if not parent_period.covers(period):
        raise InvalidAlignment(
            f"the parent's period {quoted(parent_period.name)} does not cover "
            f"{quoted(period.name)}",
            "parentId",
        )


def ancestor_ids(parent: Objective, above: Callable[[Objective], Objective | None]) -> list[UUID]:
    """`parent` and the objectives above it, nearest first, at most MAX_ALIGNMENT_DEPTH;
    `above` finds the objective one aligns under, directly or through a key result. Each is
    visited once, so a cycle already in an old log cannot trap the walk."""
    chain: list[UUID] = []
    node: Objective | None = parent
    while node is not None and node.id not in chain and len(chain) < MAX_ALIGNMENT_DEPTH:
        chain.append(node.id)
        node = above(node)
    return chain


def check_no_cycle(objective_id: UUID, ancestor_ids: list[UUID]) -> None:
    """Refuse an alignment whose chain of ancestors leads back to the objective itself."""
    if objective_id in ancestor_ids:
        raise AlignmentCycle("the alignment would create a cycle", "parentId")
