"""Writes many events quickly: many check-ins per key result, saved in one transaction each."""

from __future__ import annotations

from datetime import timedelta

from okr.domain.key_result import KeyResult
from okr.domain.period import Period
from okr.services.application import OkrApplication
from tests.world import WEEK_ONE, World


def fill(app: OkrApplication, key_results: int, check_ins: int) -> World:
    """An organization whose key results hold `check_ins` check-ins each."""
    world = World.build(app)
    objective = world.objective()
    world.activate(objective)
    quarter = app.load(world.ctx, Period, world.quarter)
    for n in range(key_results):
        key_result_id = world.key_result(objective, title=f"Lead time falls, stream {n}")
        key_result = app.load(world.ctx, KeyResult, key_result_id)
        for day in range(check_ins):
            key_result.record_check_in(
                "system:bulk",
                10 - (day % 8),
                day % 11,
                WEEK_ONE + timedelta(hours=day),
                period=quarter,
            )
        app.save(key_result)
    return world
