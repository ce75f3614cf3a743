"""A running subscription holds no more after many events than after a few, and operations
leave nothing for the garbage collector: under sustained writes and subscriptions the heap
stays flat with the collector's default thresholds."""

from __future__ import annotations

import asyncio
import base64
import gc
from collections.abc import AsyncGenerator, Iterator
from contextlib import contextmanager
from typing import Any

from graphql import ExecutionResult

from okr.bootstrap import Runtime
from okr.domain.api_token import Role
from okr.domain.commands import RegisterPerson
from okr.graphql.broadcast import Broadcaster, Recent
from okr.graphql.context import RequestContext
from okr.graphql.permissions import Caller
from okr.graphql.schema import build_schema
from tests.world import World

EVENTS = "subscription($after: String) { events(after: $after) { cursor position type } }"
PEOPLE = "query { people { name memberships { team { name } } } }"
FEW = 20
MANY = 200


def context(runtime: Runtime, world: World, broadcaster: Broadcaster) -> RequestContext:
    caller = Caller(world.ctx.organization_id, Role.INTEGRATION, "integration:test", "t")
    return RequestContext(runtime, broadcaster, caller)


async def subscribed(runtime: Runtime, world: World, events: int) -> AsyncGenerator[Any, None]:
    """An `events` subscription from the head of the log, with `events` new events queued
    for it. The events and results subscribers share are kept to one, so what is counted is
    what the subscription itself holds."""
    broadcaster = Broadcaster(runtime.store)
    broadcaster.events, broadcaster.results = Recent(1), Recent(1)
    await broadcaster.start_at_head()
    head = base64.b64encode(f"event|{broadcaster.position}".encode()).decode()
    stream = await build_schema().subscribe(
        EVENTS,
        variable_values={"after": head},
        context_value=context(runtime, world, broadcaster),
    )
    assert not isinstance(stream, ExecutionResult)
    first = asyncio.create_task(anext(stream))
    async with asyncio.timeout(10):
        while broadcaster.subscribers == 0:
            await asyncio.sleep(0.01)
    for n in range(events):
        world.app.handle(world.ctx, RegisterPerson(f"Newcomer {n}"))
    await runtime.runner.catch_up()
    await broadcaster.deliver()
    assert (await first).errors is None
    return stream


def tracked_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


@contextmanager
def collector_off() -> Iterator[None]:
    """No automatic collection meanwhile: garbage cycles made inside stay to be counted."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def test_a_subscription_holds_no_more_after_many_events_than_after_a_few(
    runtime: Runtime,
) -> None:
    world = World.build(runtime.app)
    await runtime.runner.catch_up()
    stream = await subscribed(runtime, world, 1 + FEW + MANY)
    for _ in range(FEW):
        assert (await anext(stream)).errors is None
    before = tracked_objects()

    for _ in range(MANY):
        assert (await anext(stream)).errors is None
    after = tracked_objects()
    await stream.aclose()

    assert after <= before


async def test_queries_and_delivered_events_leave_no_garbage_cycles(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    await runtime.runner.catch_up()
    schema = build_schema()
    broadcaster = Broadcaster(runtime.store)
    stream = await subscribed(runtime, world, 1 + FEW)
    await schema.execute(PEOPLE, context_value=context(runtime, world, broadcaster))

    with collector_off():
        for _ in range(FEW):
            assert (await anext(stream)).errors is None
            answer = await schema.execute(
                PEOPLE, context_value=context(runtime, world, broadcaster)
            )
            assert answer.errors is None
        del answer
        unreachable = gc.collect()
    await stream.aclose()

    assert unreachable == 0
