"""A view's rows are the same whether the log is applied one event at a time or in one batch."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from okr.bootstrap import Runtime
from okr.demo import load_demo
from okr.domain.api_token import Role
from okr.domain.commands import CorrectCheckIn, RecordCheckIn, ReviseKeyResultTarget
from okr.services.tokens import issue_token
from okr.views.catalog import all_views
from okr.views.view_runner import apply_batch
from tests.bulk import fill
from tests.world import WEEK_ONE, World


def corrections(runtime: Runtime) -> UUID:
    """Check-ins out of order, a correction of the current one and of an earlier one; the
    one in force at the end is 8, recorded third."""
    world = World.build(runtime.app)
    key_result = world.active_key_result()

    def check_in(value: float, days: int) -> UUID:
        moment = WEEK_ONE + timedelta(days=days)
        command = RecordCheckIn(key_result, value=value, confidence=6, effective_at=moment)
        return runtime.app.handle(world.ctx, command).id

    early = check_in(9, 0)
    latest = check_in(7, 14)
    check_in(8, 7)
    runtime.app.handle(
        world.ctx,
        CorrectCheckIn(
            key_result,
            check_in_id=latest,
            value=6.5,
            confidence=5,
            reason="typo",
            effective_at=WEEK_ONE + timedelta(days=3),
        ),
    )
    runtime.app.handle(
        world.ctx,
        CorrectCheckIn(key_result, check_in_id=early, value=9.5, confidence=5, reason="late data"),
    )
    runtime.app.handle(world.ctx, ReviseKeyResultTarget(key_result, 3, "scope cut"))
    issue_token(runtime.app, world.ctx, "sync", Role.INTEGRATION)
    return key_result


async def test_batch_size_does_not_change_any_view(runtime: Runtime) -> None:
    load_demo(runtime.app)
    fill(runtime.app, key_results=60, check_ins=3)
    key_result = corrections(runtime)
    events = await runtime.runner.source.read(0, 10_000)
    one_by_one, together = all_views("one_"), all_views("all_")
    async with runtime.store.setup() as conn:
        for view in [*one_by_one, *together]:
            await view.create(conn)

    for envelope in events:
        async with runtime.store.transaction() as conn:
            await apply_batch(conn, one_by_one, [envelope])
    async with runtime.store.transaction() as conn:
        await apply_batch(conn, together, events)

    for view in together:
        for table in view.tables:
            rows = sorted(map(repr, await runtime.store.fetch(f"SELECT * FROM all_{table}")))
            assert rows, f"{table} is empty"
            assert rows == sorted(
                map(repr, await runtime.store.fetch(f"SELECT * FROM one_{table}"))
            )
    current = await runtime.store.fetchrow(
        "SELECT current_value, target, progress FROM all_key_results WHERE id = $1",
        str(key_result),
    )
    assert current == {"current_value": 8, "target": 3, "progress": 2 / 7}
