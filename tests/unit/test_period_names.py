"""Period names are unique within an organization, trimmed and case-insensitive."""

from __future__ import annotations

from datetime import date

import pytest

from okr.domain.commands import CreatePeriod
from okr.domain.errors import InvalidInput
from okr.domain.period import Period
from tests.world import World

NEXT_QUARTER = (date(2027, 1, 1), date(2027, 3, 31))


@pytest.mark.parametrize("name", ["2026-Q4", " 2026-q4 ", "2026-Q4\t"])
def test_a_second_period_of_the_same_name_is_refused(world: World, name: str) -> None:
    error = world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx, CreatePeriod(name, *NEXT_QUARTER))
    )
    assert error.field == "name"


def test_another_name_or_another_organization_is_fine(world: World) -> None:
    other = World.build(world.app, "Globex")

    world.app.handle(world.ctx, CreatePeriod("2027-Q1", *NEXT_QUARTER))

    assert other.quarter != world.quarter
    assert world.app.load(other.ctx, Period, other.quarter).name == "2026-Q4"
