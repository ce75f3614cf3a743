"""A log that an older version let a cycle into still reads: the alignment walks end and
show each objective once, and new commands that walk the chain still decide."""

from __future__ import annotations

import pytest

from okr.bootstrap import Runtime
from okr.domain.commands import AlignObjective
from okr.domain.errors import AlignmentCycle
from okr.services.context import Context
from okr.views.objectives import objective_ancestors as ancestors
from okr.views.objectives import objective_descendants as descendants
from tests.audit_story import ACTOR, Story, align


async def test_a_cycle_in_the_log_is_walked_once(runtime: Runtime) -> None:
    story = Story.build(runtime.app)
    (a, a_kr), (b, b_kr), (c, _) = story.active(), story.active(), story.active()
    align(a, key_result=b_kr.id)
    align(b, key_result=a_kr.id)
    align(c, key_result=a_kr.id)
    story.save(a, b, c)
    await runtime.runner.catch_up()
    org = str(story.org.id)

    store = runtime.store
    above_a = [row["id"] for row in await ancestors(store, org, str(a.id))]
    below_a = [row["id"] for row in await descendants(store, org, str(a.id))]
    above_c = [row["id"] for row in await ancestors(store, org, str(c.id))]

    assert above_a == [str(b.id)]
    assert sorted(below_a) == sorted([str(b.id), str(c.id)])
    assert above_c == [str(a.id), str(b.id)]

    context = Context(story.org.id, ACTOR)
    with pytest.raises(AlignmentCycle):
        runtime.app.handle(context, AlignObjective(b.id, parent_key_result_id=a_kr.id))
