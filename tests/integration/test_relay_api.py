"""Relay's Node and connections keep the ids and cursors clients already hold."""

from __future__ import annotations

import base64
from typing import Any

from graphql import ExecutionResult

from bench.statements import InProcess
from okr.bootstrap import Runtime
from okr.demo import Demo
from okr.domain.api_token import Role
from okr.graphql.broadcast import Broadcaster
from okr.graphql.context import RequestContext
from okr.graphql.permissions import Caller
from okr.graphql.schema import build_schema
from okr.services.context import Context
from okr.services.tokens import issue_token

PAGES = """
query {
  objectives(first: 3) { edges { cursor node { id keyResults { id checkIns { id } } } } }
  events(first: 3) { edges { cursor node { id position aggregateId aggregateType } } }
}"""

NODE = "query($id: ID!) { node(id: $id) { __typename id ... on Event { position } } }"

TWO_HISTORIES = """
query($id: ID!) {
  weeks: keyResult(id: $id) { history(from: "2026-07-01", to: "2026-09-30") { on } }
  backwards: keyResult(id: $id) { history(from: "2026-09-30", to: "2026-07-01") { on } }
}"""


def decoded(value: str) -> str:
    return base64.b64decode(value, validate=True).decode()


def encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def as_role(runtime: Runtime, demo: Demo, role: Role) -> InProcess:
    """Operations run in-process with a token of `role` (a viewer acts for Ana)."""
    person = demo.people["Ana"] if role is Role.VIEWER else None
    context = Context(demo.organization_id, "system:test")
    secret = issue_token(runtime.app, context, role.value, role, person).secret
    await runtime.runner.catch_up()
    return InProcess(runtime, secret)


async def data(execute: InProcess, document: str, variables: dict[str, Any]) -> Any:
    answer = await execute(document, variables)
    assert not answer["errors"], answer["errors"]
    return answer["data"]


async def test_ids_and_cursors_are_base64_of_type_and_raw_id(runtime: Runtime, demo: Demo) -> None:
    auditor = await as_role(runtime, demo, Role.AUDITOR)

    found = await data(auditor, PAGES, {})

    objectives = {str(o) for o in demo.objectives.values()}
    for edge in found["objectives"]["edges"]:
        kind, raw = decoded(edge["node"]["id"]).split(":")
        assert (kind, raw in objectives) == ("Objective", True)
        assert decoded(edge["cursor"]).startswith("objective|2026-")
        assert decoded(edge["cursor"]).endswith(f"|{raw}")
        for key_result in edge["node"]["keyResults"]:
            assert decoded(key_result["id"]).startswith("KeyResult:")
            assert all(decoded(c["id"]).startswith("CheckIn:") for c in key_result["checkIns"])
    for edge in found["events"]["edges"]:
        event = edge["node"]
        assert edge["cursor"] == encoded(f"event|{event['position']}")
        assert event["id"] == encoded(f"Event:{event['position']}")
        assert decoded(event["aggregateId"]).startswith(f"{event['aggregateType']}:")


async def test_node_finds_events_only_for_readers_of_the_log(runtime: Runtime, demo: Demo) -> None:
    auditor = await as_role(runtime, demo, Role.AUDITOR)
    viewer = await as_role(runtime, demo, Role.VIEWER)
    event = (await data(auditor, PAGES, {}))["events"]["edges"][1]["node"]

    seen = await data(auditor, NODE, {"id": event["id"]})
    hidden = await data(viewer, NODE, {"id": event["id"]})

    assert seen["node"] == {"__typename": "Event", "id": event["id"], "position": event["position"]}
    assert hidden["node"] is None
    for text in ("Event:99999", "Event:x", "Node:1", "Query:1", "PageInfo:1", "String:1"):
        assert (await data(auditor, NODE, {"id": encoded(text)}))["node"] is None


async def test_a_refused_history_fails_only_its_own_field(runtime: Runtime, demo: Demo) -> None:
    viewer = await as_role(runtime, demo, Role.VIEWER)
    tier2 = encoded(f"KeyResult:{demo.key_results['tier2_to_tier1']}")

    answer = await viewer(TWO_HISTORIES, {"id": tier2})

    assert len(answer["data"]["weeks"]["history"]) == 13
    assert answer["data"]["backwards"] is None
    assert [(e.path, (e.extensions or {}).get("code")) for e in answer["errors"]] == [
        (["backwards", "history"], "INVALID_INPUT")
    ]


async def test_subscribed_events_carry_the_same_ids(runtime: Runtime, demo: Demo) -> None:
    broadcaster = Broadcaster(runtime.store)
    await broadcaster.start_at_head()
    caller = Caller(demo.organization_id, Role.AUDITOR, "auditor:test", "t")
    stream = await build_schema().subscribe(
        "subscription { events { id cursor position } }",
        context_value=RequestContext(runtime, broadcaster, caller),
    )
    assert not isinstance(stream, ExecutionResult)

    first = await anext(stream)
    await stream.aclose()

    assert first.data is not None
    event = first.data["events"]
    assert event["id"] == encoded(f"Event:{event['position']}")
    assert event["cursor"] == encoded(f"event|{event['position']}")
