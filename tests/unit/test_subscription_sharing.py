"""What subscribers share: one liveness look-up per token at a time, and which variable only
says where a subscription starts; and each one's light queue."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from graphql import OperationDefinitionNode, parse

from okr.graphql.auth import TokenChecks
from okr.graphql.broadcast import Rows
from okr.graphql.subscriptions import cursor_variable
from okr.views.database import ReadStore


class Tokens:
    """A store answering token look-ups, counting them; revoked ones are not found."""

    def __init__(self) -> None:
        self.revoked: set[str] = set()
        self.lookups = 0
        self.failing = False

    async def fetchrow(self, _sql: str, token_id: str) -> dict[str, Any] | None:
        self.lookups += 1
        await asyncio.sleep(0.01)
        if self.failing:
            raise ConnectionError("the store is away")
        return None if token_id in self.revoked else {"id": token_id}


async def test_concurrent_checks_of_a_token_share_one_lookup_until_it_is_stale() -> None:
    store = Tokens()
    checks = TokenChecks(cast("ReadStore", store), seconds=0.5)

    first = await asyncio.gather(*(checks.live("a") for _ in range(100)), checks.live("b"))
    store.revoked.add("a")
    meanwhile = await checks.live("a")
    await asyncio.sleep(0.6)
    later = await checks.live("a")

    assert all(first)
    assert meanwhile
    assert not later
    assert store.lookups == 3


async def test_a_failed_lookup_is_not_shared_afterwards() -> None:
    store = Tokens()
    checks = TokenChecks(cast("ReadStore", store))
    store.failing = True
    with pytest.raises(ConnectionError):
        await checks.live("a")
    store.failing = False

    assert await checks.live("a")


async def test_a_queue_wakes_its_consumer_keeps_order_and_refuses_rows_beyond_its_size() -> None:
    rows = Rows(2)
    waiting = asyncio.create_task(rows.get())
    await asyncio.sleep(0)
    rows.put_nowait({"position": 1})
    rows.put_nowait({"position": 2})
    with pytest.raises(asyncio.QueueFull):
        rows.put_nowait({"position": 3})

    assert await waiting == {"position": 1}
    assert rows.qsize() == 1
    assert await rows.get() == {"position": 2}


def operation(text: str) -> OperationDefinitionNode:
    node = parse(text).definitions[0]
    assert isinstance(node, OperationDefinitionNode)
    return node


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscription($a: String) { events(after: $a) { position } }", "a"),
        (
            "subscription($a: String, $f: EventFilter) { events(after: $a, filter: $f) { type } }",
            "a",
        ),
        ('subscription { events(after: "x") { position } }', None),
        ("subscription($a: String) { events(filter: {actor: $a}) { position } }", None),
        ("subscription($a: String) { events(after: $a, filter: {actor: $a}) { type } }", None),
    ],
)
def test_only_a_variable_used_for_after_alone_is_left_out_of_the_shape(
    text: str, expected: str | None
) -> None:
    assert cursor_variable(operation(text), ()) == expected
