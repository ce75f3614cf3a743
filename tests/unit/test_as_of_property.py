"""A key result as known at any moment: the as-of answer is the aggregate folded to that
moment, measured by the domain's progress rules, whatever history came before."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okr.domain.clock import Clock, using_clock
from okr.domain.commands import (
    CloseObjective,
    CorrectCheckIn,
    RecordCheckIn,
    ReopenObjective,
    ReviseKeyResultTarget,
)
from okr.domain.commands.base import Command
from okr.domain.errors import OkrError
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.progress import (
    expected_progress,
    is_stale,
    progress,
    track_status,
    value_age,
)
from okr.domain.values import Metric
from okr.queries.as_of_rows import key_result_state
from tests.folded_rows import key_result_row
from tests.world import World

QUARTER = (date(2026, 10, 1), date(2026, 12, 31))
SCHEDULE = {"starts_on": "2026-10-01", "ends_on": "2026-12-31"}
CREATED = datetime(2026, 10, 1, 6, tzinfo=UTC)
SCALES = [
    (Metric.INCREASE_TO, 0.0, 100.0),
    (Metric.DECREASE_TO, 100.0, 20.0),
    (Metric.STAY_ABOVE, 0.0, 50.0),
    (Metric.STAY_BELOW, 100.0, 50.0),
    (Metric.MILESTONE, 0.0, 100.0),
]

Step = tuple[str, int, int, int]
"""(kind, minutes since the previous step, a figure 0..100, a free choice)."""

steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["check_in", "check_in", "check_in", "correct", "revise", "close", "reopen"]
        ),
        st.integers(1, 7 * 24 * 60),
        st.integers(0, 100),
        st.integers(0, 10**6),
    ),
    max_size=12,
)


def fixed(moment: datetime) -> Clock:
    return lambda: moment


def command(world: World, key_result_id: UUID, step: Step, at: datetime) -> Command:
    kind, _, figure, choice = step
    key_result = world.app.load(world.ctx, KeyResult, key_result_id)
    minutes = int((at - CREATED) / timedelta(minutes=1))
    effective_at = CREATED + timedelta(minutes=choice % (minutes + 1))
    if kind == "check_in":
        return RecordCheckIn(key_result.id, figure, 5, effective_at)
    if kind == "correct":
        current = key_result.effective_check_ins()
        corrects = current[choice % len(current)].id if current else key_result.id
        moved = None if choice % 3 == 0 else effective_at
        return CorrectCheckIn(key_result.id, corrects, figure, 6, "recount", moved)
    if kind == "revise":
        return ReviseKeyResultTarget(key_result.id, figure, "new plan")
    if kind == "close":
        return CloseObjective(key_result.objective_id, 0.5)
    return ReopenObjective(key_result.objective_id, "not done yet")


def play(world: World, scale: int, history: list[Step]) -> tuple[KeyResult, list[datetime]]:
    """Record `history` on a new key result of an active objective; what a step's rules
    refuse is simply not recorded. The key result, and the time of each step."""
    metric, start, target = SCALES[scale]
    with using_clock(fixed(CREATED)):
        key_result_id = world.active_key_result(metric=metric, start=start, target=target)
    at, times = CREATED, [CREATED]
    for step in history:
        at += timedelta(minutes=step[1])
        with using_clock(fixed(at)), suppress(OkrError):
            world.app.handle(world.ctx, command(world, key_result_id, step, at))
        times.append(at)
    return world.app.load(world.ctx, KeyResult, key_result_id), times


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    scale=st.integers(0, len(SCALES) - 1),
    history=steps,
    probes=st.lists(st.integers(-60, 95 * 24 * 60), max_size=6),
)
def test_the_as_of_answer_is_the_folded_aggregate_measured_by_the_domain_rules(
    world: World, scale: int, history: list[Step], probes: list[int]
) -> None:
    latest, times = play(world, scale, history)
    moments = times + [CREATED + timedelta(minutes=m) for m in probes]
    for moment in (m for m in moments if m >= CREATED):
        folded = world.app.load(world.ctx, KeyResult, latest.id, at=moment)
        objective = world.app.load(world.ctx, Objective, latest.objective_id, at=moment)
        row = key_result_row(folded)
        state = key_result_state(row, SCHEDULE, objective, moment)

        current = folded.current
        value = None if current is None else current.value
        revised = progress(latest.metric, latest.start, latest.target_at(moment), value)
        original = progress(latest.metric, latest.start, latest.original_target, value)
        expected = expected_progress(*QUARTER, moment)
        age = value_age(None if current is None else current.effective_at, CREATED, moment)
        assert (row["current_value"], row["target"]) == (value, latest.target_at(moment))
        assert (row["progress"], row["progress_unclamped"]) == (revised.value, revised.unclamped)
        assert (row["original_progress"], row["original_progress_unclamped"]) == (
            original.value,
            original.unclamped,
        )
        assert state.expected_progress == expected
        assert state.status is track_status(latest.metric, revised.value, expected)
        assert state.stale is is_stale(objective.status, age)
