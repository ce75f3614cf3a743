"""Periods written by an older version claim their names on upgrade, so a new period can no
longer take an old one's name."""

from __future__ import annotations

from datetime import date

from okr.domain.commands import CreatePeriod
from okr.domain.errors import InvalidInput
from okr.domain.period import Period
from okr.services.upgrade import claim_period_names
from tests.world import World

ACTOR = "system:old-version"
SPRING = (date(2027, 4, 1), date(2027, 6, 30))


def old_period(world: World, name: str) -> Period:
    """A period as an older version wrote it: without a name claim."""
    period = Period.create(world.ctx.organization_id, ACTOR, name, *SPRING)
    world.app.save(period)
    return period


def test_after_the_upgrade_an_old_name_is_taken(world: World) -> None:
    old_period(world, "2027-Q2")

    report = claim_period_names(world.app)

    assert (report.claimed, report.already, report.duplicates) == (1, 2, [])
    world.refuse(
        InvalidInput,
        lambda: world.app.handle(world.ctx, CreatePeriod(" 2027-q2", *SPRING)),
    )


def test_old_duplicates_are_listed_and_a_second_run_claims_nothing(world: World) -> None:
    first = old_period(world, "2027-Q2")
    second = old_period(world, "2027-q2")

    report = claim_period_names(world.app)
    again = claim_period_names(world.app)

    assert report.duplicates == [(second.id, first.id)]
    assert (again.claimed, again.already, again.duplicates) == (0, 3, report.duplicates)
