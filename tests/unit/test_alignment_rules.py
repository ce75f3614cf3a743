"""Alignment goes to a live parent whose period covers the objective's, and can be removed."""

from __future__ import annotations

from datetime import date

from okr.domain.commands import (
    AlignObjective,
    ArchiveObjective,
    CreatePeriod,
    UnalignObjective,
)
from okr.domain.errors import InvalidAlignment, InvalidTransition
from okr.domain.objective import Objective
from okr.domain.values import ObjectiveKind, ObjectiveLevel
from tests.world import World


def test_an_archived_directional_objective_takes_no_alignment(world: World) -> None:
    parent, child = world.directional(), world.objective()
    world.app.handle(world.ctx, ArchiveObjective(parent))

    error = world.refuse(
        InvalidAlignment,
        lambda: world.app.handle(world.ctx, AlignObjective(child, parent_objective_id=parent)),
    )
    assert error.field == "parentId"


def test_a_key_result_of_an_archived_objective_takes_no_alignment(world: World) -> None:
    other = world.objective(title="Retired")
    key_result = world.key_result(other)
    child = world.objective()
    world.app.handle(world.ctx, ArchiveObjective(other))

    world.refuse(
        InvalidAlignment,
        lambda: world.app.handle(world.ctx, AlignObjective(child, parent_key_result_id=key_result)),
    )


def test_the_parents_period_must_cover_the_objectives(world: World) -> None:
    last_year = world.app.handle(
        world.ctx, CreatePeriod("2025", date(2025, 1, 1), date(2025, 12, 31))
    ).id
    stale = world.objective(
        title="Last year's direction",
        kind=ObjectiveKind.DIRECTIONAL,
        level=ObjectiveLevel.COMPANY,
        period_id=last_year,
        team_ids=(),
    )
    child = world.objective()

    error = world.refuse(
        InvalidAlignment,
        lambda: world.app.handle(world.ctx, AlignObjective(child, parent_objective_id=stale)),
    )
    assert "2025" in error.message
    world.app.handle(world.ctx, AlignObjective(child, parent_objective_id=world.directional()))


def test_an_alignment_can_be_removed_with_a_reason(world: World) -> None:
    parent, child = world.directional(), world.objective()
    world.app.handle(world.ctx, AlignObjective(child, parent_objective_id=parent))

    world.app.handle(world.ctx, UnalignObjective(child, "the strategy changed"))

    unaligned = world.app.load(world.ctx, Objective, child)
    assert (unaligned.aligned_to_objective_id, unaligned.aligned_to_key_result_id) == (None, None)
    last = world.app.history(world.ctx, child)[-1]
    assert (last.type, last.payload["reason"]) == ("Objective.Unaligned", "the strategy changed")


def test_an_unaligned_objective_cannot_be_unaligned(world: World) -> None:
    child = world.objective()

    world.refuse(
        InvalidTransition, lambda: world.app.handle(world.ctx, UnalignObjective(child, "why"))
    )
