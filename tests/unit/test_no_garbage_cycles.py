"""Hot paths that make no reference cycles, so their garbage goes at once, not at the next
full collection: decoding a request's JSON, and copying a key result for a command."""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterator

import pytest

from okr.domain.key_result import KeyResult
from okr.graphql.json_input import decode
from tests.world import World


@pytest.fixture
def collector_paused() -> Iterator[None]:
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_decoding_json_leaves_nothing_for_the_collector(collector_paused: None) -> None:
    for _ in range(50):
        decode('{"query": "{ a }", "variables": {"n": [1, 2.5, {"b": 3}]}}', 10_000)
        decode('{"a": 1, "a": 2}', 10_000)

    assert gc.collect() == 0


def test_a_copied_key_result_shares_its_check_ins_and_target_revisions(world: World) -> None:
    key_result_id = world.active_key_result()
    for value in (10.0, 20.0, 30.0):
        world.check_in(key_result_id, value)
    original = world.app.load(world.ctx, KeyResult, key_result_id)

    copied = copy.deepcopy(original)

    assert copied is not original
    assert copied.check_ins is not original.check_ins
    assert len(copied.check_ins) == 3
    assert all(a is b for a, b in zip(copied.check_ins, original.check_ins, strict=True))
    assert all(a is b for a, b in zip(copied.revisions, original.revisions, strict=True))
