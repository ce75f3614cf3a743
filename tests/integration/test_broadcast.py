"""A slow subscriber neither blocks others nor grows without bound: it is dropped with an
error that says where to resume."""

from __future__ import annotations

import asyncio
import base64

import pytest
from graphql import ExecutionResult

from okr.bootstrap import Runtime
from okr.domain.api_token import Role
from okr.domain.commands import RegisterPerson
from okr.graphql.broadcast import Broadcaster, SubscriberOverflow
from okr.graphql.context import RequestContext
from okr.graphql.permissions import Caller
from okr.graphql.schema import build_schema
from okr.views.database import Row
from tests.world import World


async def test_a_full_queue_drops_only_the_slow_subscriber(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    await runtime.runner.catch_up()
    broadcaster = Broadcaster(runtime.store, queue_size=3)
    await broadcaster.start_at_head()
    organization = str(world.ctx.organization_id)
    slow = broadcaster.subscribe(organization)
    fast = broadcaster.subscribe(organization)
    for n in range(6):
        world.app.handle(world.ctx, RegisterPerson(f"Newcomer {n}"))

    await runtime.runner.catch_up()

    async def consume() -> list[Row]:
        return [await fast.next() for _ in range(6)]

    consumer = asyncio.create_task(consume())
    await broadcaster.deliver()
    received = await asyncio.wait_for(consumer, 5)

    assert [r["type"] for r in received] == ["Person.Registered"] * 6
    assert slow.queue.qsize() <= 3
    with pytest.raises(SubscriberOverflow):
        await slow.next()


async def test_the_subscription_ends_with_a_code_and_a_cursor_to_resume(runtime: Runtime) -> None:
    world = World.build(runtime.app)
    await runtime.runner.catch_up()
    broadcaster = Broadcaster(runtime.store, queue_size=2)
    await broadcaster.start_at_head()
    caller = Caller(world.ctx.organization_id, Role.INTEGRATION, "integration:test", "t")
    context = RequestContext(runtime, broadcaster, caller)
    head_position = broadcaster.position
    head = base64.b64encode(f"event|{head_position}".encode()).decode()
    stream = await build_schema().subscribe(
        "subscription($after: String) { events(after: $after) { position } }",
        variable_values={"after": head},
        context_value=context,
    )
    assert not isinstance(stream, ExecutionResult)

    first = asyncio.create_task(anext(stream))
    async with asyncio.timeout(10):
        while broadcaster.subscribers == 0:
            await asyncio.sleep(0.01)
        for n in range(5):
            world.app.handle(world.ctx, RegisterPerson(f"Newcomer {n}"))
        await runtime.runner.catch_up()
        await broadcaster.deliver()
        delivered = await first
        rest = [result async for result in stream]

    assert delivered.data == {"events": {"position": head_position + 1}}
    (error,) = [e for r in rest for e in (r.errors or [])]
    assert error.extensions is not None
    assert error.extensions["code"] == "SUBSCRIBER_TOO_SLOW"
    resume = base64.b64decode(error.extensions["after"]).decode()
    assert resume == f"event|{head_position + 1}"
