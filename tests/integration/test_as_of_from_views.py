"""A key result as known at any moment, answered from the bitemporal view tables, is the
aggregate folded to that moment from the event store, on each backend, whatever history of
check-ins, corrections and revisions came before."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okr.bootstrap import Runtime, open_runtime
from okr.domain.key_result import KeyResult
from okr.infra.event_store import DatabaseUrl
from okr.queries.key_results_as_of import key_results_as_of
from tests.folded_rows import key_result_row
from tests.unit.test_as_of_property import CREATED, SCALES, Step, play
from tests.world import World


@pytest.fixture
def opened(database_url: DatabaseUrl) -> Iterator[tuple[asyncio.Runner, Runtime, World]]:
    """A runtime on the backend, driven from a loop of the test's own (hypothesis calls the
    test body once per example, synchronously)."""
    with asyncio.Runner() as loop:
        runtime = loop.run(open_runtime(database_url))
        try:
            yield loop, runtime, World.build(runtime.app)
        finally:
            loop.run(runtime.close())


steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["check_in", "check_in", "correct", "correct", "revise", "close", "reopen"]
        ),
        st.integers(1, 7 * 24 * 60),
        st.integers(0, 100),
        st.integers(0, 10**6),
    ),
    min_size=2,
    max_size=12,
)
"""Histories rich in corrections, which is where a bitemporal answer can go wrong."""


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scale=st.integers(0, len(SCALES) - 1),
    history=steps,
    probes=st.lists(st.integers(-60, 95 * 24 * 60), max_size=6),
)
def test_the_view_answer_as_of_any_moment_is_the_folded_aggregate(
    opened: tuple[asyncio.Runner, Runtime, World],
    scale: int,
    history: list[Step],
    probes: list[int],
) -> None:
    loop, runtime, world = opened
    latest, times = play(world, scale, history)
    loop.run(runtime.runner.catch_up())
    org = str(world.ctx.organization_id)
    moments = times + [CREATED + timedelta(minutes=m) for m in probes]

    for moment in moments:
        answer = loop.run(key_results_as_of(runtime.views, org, [str(latest.id)], moment))
        if moment < CREATED:
            assert answer == {str(latest.id): None}
            continue
        folded = world.app.load(world.ctx, KeyResult, latest.id, at=moment)
        assert answer == {str(latest.id): key_result_row(folded)}, moment
