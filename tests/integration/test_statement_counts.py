"""The team's-objectives and alignment-tree queries run a fixed number of SQL statements,
whatever the page or tree size: every per-object read goes through a batched loader."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

from bench.statements import InProcess, RecordingBackend, Statement, record_event_reads
from okr.bootstrap import Runtime, open_application
from okr.domain.api_token import Role
from okr.domain.commands import (
    AddContributor,
    AddKeyResult,
    AlignObjective,
    CorrectCheckIn,
    RecordCheckIn,
)
from okr.domain.values import Metric
from okr.graphql.ids import global_id
from okr.services.tokens import issue_token
from tests.world import WEEK_ONE, World

TEAM_OBJECTIVES = """
query TeamObjectives($team: ID!, $period: ID!, $first: Int!) {
  objectives(filter: {teamId: $team, periodId: $period}, first: $first) {
    nodes {
      id title status progress collaboration
      lead { id name }
      period { id name }
      teams { id name }
      contributors { id name }
      ancestors { id title }
      initiatives { id }
      advice { code }
      progressHistory(from: "2026-10-05", to: "2026-11-01") { on progress }
      keyResults {
        id title currentValue confidence target progress status stale expectedProgress
        objective { id }
        checkIns { id value corrects }
        every: checkIns(includeSuperseded: true) { id }
        history(from: "2026-10-05", to: "2026-11-01", interval: WEEK) { on value progress }
      }
    }
    edges { cursor }
    pageInfo { hasNextPage endCursor }
  }
}"""

ALIGNMENT_TREE = """
query AlignmentTree($id: ID!) {
  objective(id: $id) {
    id title progress collaboration
    children {
      id title status progress collaboration
      lead { id name }
      teams { id }
      ancestors { id }
      keyResults { id status checkIns { id } history(from: "2026-10-05", to: "2026-11-01") { on } }
      children {
        id title progress collaboration
        lead { id name }
        ancestors { id }
        advice { code }
        keyResults { id status checkIns { id } }
      }
    }
  }
}"""

TEAM_OBJECTIVES_STATEMENTS = 29
ALIGNMENT_TREE_STATEMENTS = 29
"""On either store, the token's check included; a tree costs by its depth, not its size."""


class Tree:
    """Under each of two directional objectives, executable team objectives aligned to it,
    and under each of those, objectives aligned to its key result; every executable one has
    two contributors and two key results, the first with two check-ins and a correction."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.small = self.directional(children=2, grandchildren=1)
        self.large = self.directional(children=4, grandchildren=2)

    def directional(self, children: int, grandchildren: int) -> UUID:
        top = self.world.directional()
        self.world.activate(top)
        for _ in range(children):
            child, key_result = self.executable(top, None)
            for _ in range(grandchildren):
                self.executable(child, key_result)
        return top

    def executable(self, parent: UUID, parent_key_result: UUID | None) -> tuple[UUID, UUID]:
        world, ctx = self.world, self.world.ctx
        objective = world.objective()
        key_result = world.key_result(objective)
        world.activate(objective)
        if parent_key_result is None:
            world.app.handle(ctx, AlignObjective(objective, parent_objective_id=parent))
        else:
            world.app.handle(ctx, AlignObjective(objective, parent_key_result_id=parent_key_result))
        for person in (world.ann, world.bo):
            world.app.handle(ctx, AddContributor(objective, person))
        world.app.handle(ctx, AddKeyResult(objective, "Tickets close", Metric.INCREASE_TO, 0, 10))
        first = world.check_in(key_result, 9)
        world.app.handle(
            ctx,
            RecordCheckIn(key_result, value=8, confidence=6, effective_at=WEEK_ONE + timedelta(7)),
        )
        world.app.handle(
            ctx, CorrectCheckIn(key_result, check_in_id=first, value=8.5, confidence=7, reason="re")
        )
        return objective, key_result


class Counted:
    """Operations run in-process as a reader, with the statements each ran on either store."""

    def __init__(self, runtime: Runtime, token: str) -> None:
        self.log: list[Statement] = []
        record_event_reads(runtime.app, self.log, "events of one aggregate")
        self.execute = InProcess(RecordingBackend(runtime, self.log), token)

    async def __call__(self, document: str, variables: dict[str, Any]) -> tuple[Any, int]:
        """The answer's data and how many statements it took."""
        self.log.clear()
        answer = await self.execute(document, variables)
        assert not answer["errors"], answer["errors"]
        return answer["data"], len(self.log)


async def test_team_objectives_and_alignment_trees_cost_a_fixed_number_of_statements(
    runtime: Runtime,
) -> None:
    world = World.build(runtime.app)
    tree = Tree(world)
    token = issue_token(runtime.app, world.ctx, "reader", Role.VIEWER, world.ann).secret
    await runtime.runner.catch_up()
    counted = Counted(runtime, token)
    team = {"team": global_id("Team", world.team), "period": global_id("Period", world.quarter)}

    counts = {}
    for first in (2, 10):
        data, counts[first] = await counted(TEAM_OBJECTIVES, {**team, "first": first})
        nodes = data["objectives"]["nodes"]
        assert len(nodes) == first
        assert all(n["collaboration"] == "FUNCTIONAL" and n["ancestors"] for n in nodes)
        assert all(len(n["keyResults"][0]["every"]) == 3 for n in nodes)
    for top, size in ((tree.small, 2 + 2), (tree.large, 4 + 8)):
        data, counts[size] = await counted(ALIGNMENT_TREE, {"id": global_id("Objective", top)})
        children = data["objective"]["children"]
        assert len(children) + sum(len(c["children"]) for c in children) == size

    assert counts[2] == counts[10], f"a bigger page of objectives cost more: {counts}"
    assert counts[4] == counts[12], f"a bigger alignment tree cost more: {counts}"
    assert (counts[2], counts[4]) == (TEAM_OBJECTIVES_STATEMENTS, ALIGNMENT_TREE_STATEMENTS)


WHOLE_TREE = """
query WholeTree {
  alignmentTree {
    objective { id title status progress lead { name } advice { code } keyResults { id status } }
    parent { id }
  }
}"""


async def test_the_whole_alignment_tree_now_costs_the_same_however_many_objectives(
    runtime: Runtime,
) -> None:
    world = World.build(runtime.app)
    tree = Tree(world)
    token = issue_token(runtime.app, world.ctx, "reader", Role.VIEWER, world.ann).secret
    await runtime.runner.catch_up()
    counted = Counted(runtime, token)

    before, fewer = await counted(WHOLE_TREE, {})
    writer = open_application(runtime.url)
    try:
        tree.world = replace(world, app=writer)
        tree.directional(children=3, grandchildren=2)
    finally:
        writer.close()
    await runtime.runner.catch_up()
    after, more = await counted(WHOLE_TREE, {})

    assert len(after["alignmentTree"]) == len(before["alignmentTree"]) + 1 + 3 + 3 * 2
    assert sum(n["parent"] is not None for n in after["alignmentTree"]) > 10
    assert fewer == more, f"a bigger tree cost more: {fewer} then {more}"
