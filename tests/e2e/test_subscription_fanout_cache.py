"""Subscribers share each event's executed result and each token's liveness check; what they
receive is still only their own organization's events, as their role and variables allow."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from okr.graphql.auth import SHARED_SECONDS
from okr.server import RECHECK_VARIABLE
from tests.e2e.server import Server
from tests.e2e.subscribe import subscribed
from tests.e2e.tenants import second_organization, token_for

EVENTS = """subscription($after: String, $filter: EventFilter, $payload: Boolean = true) {
  events(after: $after, filter: $filter) {
    cursor position type organizationId payload @include(if: $payload) } }"""

TEAM = "mutation($name: String!) { createTeam(input: {name: $name}) { team { id } } }"
MARKED = "query($id: ID!) { events(filter: {aggregateId: $id}) { pageInfo { endCursor } } }"
ISSUE = """mutation($role: Role!) { issueApiToken(input: {name: "fan-out", role: $role}) {
  secret token { id } userErrors { code } } }"""
REVOKE = "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { userErrors { code } } }"

RECHECK_SECONDS = 1.0
"""The server's token re-check interval here (5 s by default); the shared token check
answers for `SHARED_SECONDS` anyway, so a shorter one would not end a subscription sooner."""
SERVER_ENV = {RECHECK_VARIABLE: str(RECHECK_SECONDS)}

names = (f"Fan-out team {n}" for n in itertools.count())


async def until_team(stream: AsyncIterator[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Every event up to the creation of the team `name` (its payload must be selected)."""
    got = []
    async with asyncio.timeout(30):
        async for event in stream:
            got.append(event)
            if event["type"] == "Team.Created" and event["payload"]["name"] == name:
                return got
    raise AssertionError(f"the stream ended before {name} was created: {got}")


def create_team(server: Server, token: str) -> tuple[str, str]:
    """A new team's name and id."""
    name = next(names)
    team = server.client(token).data(TEAM, {"name": name})["createTeam"]["team"]
    return name, team["id"]


def head(server: Server, token: str) -> str:
    """A cursor at the head of the log: that of a team created for the purpose."""
    _, team_id = create_team(server, token)
    cursor: str = server.client(token).data(MARKED, {"id": team_id})["events"]["pageInfo"][
        "endCursor"
    ]
    return cursor


def issue(server: Server, token: str, role: str) -> tuple[str, str]:
    """A new token's secret and id."""
    issued = server.client(token).data(ISSUE, {"role": role})["issueApiToken"]
    assert issued["userErrors"] == []
    return issued["secret"], issued["token"]["id"]


async def test_two_organizations_and_two_roles_with_one_query_see_only_what_is_theirs(
    server: Server,
) -> None:
    sunshine_admin = server.token
    sunshine_integration = await asyncio.to_thread(token_for, server, "INTEGRATION")
    umbrella_admin = await asyncio.to_thread(second_organization, server, "Umbrella")
    umbrella_integration, _ = await asyncio.to_thread(issue, server, umbrella_admin, "INTEGRATION")
    after = await asyncio.to_thread(head, server, umbrella_admin)
    tokens = [sunshine_admin, sunshine_integration, umbrella_admin, umbrella_integration]

    async with AsyncExitStack() as stack:
        streams = [
            await stack.enter_async_context(subscribed(server, t, EVENTS, {"after": after}))
            for t in tokens
        ]
        for admin in (sunshine_admin, umbrella_admin):
            await asyncio.to_thread(issue, server, admin, "AUDITOR")
        sunshine_team, _ = await asyncio.to_thread(create_team, server, sunshine_admin)
        umbrella_team, _ = await asyncio.to_thread(create_team, server, umbrella_admin)
        received = await asyncio.gather(
            until_team(streams[0], sunshine_team),
            until_team(streams[1], sunshine_team),
            until_team(streams[2], umbrella_team),
            until_team(streams[3], umbrella_team),
        )

    types = [[e["type"] for e in events] for events in received]
    assert types == [["ApiToken.Issued", "Team.Created"], ["Team.Created"]] * 2
    organizations = [{e["organizationId"] for e in events} for events in received]
    assert organizations[0] == organizations[1]
    assert organizations[2] == organizations[3]
    assert len(organizations[0] | organizations[2]) == 2
    assert all("secret_hash" not in e["payload"] for events in received for e in events)


async def test_variables_of_the_selection_keep_subscribers_of_one_shape_apart(
    server: Server,
) -> None:
    after = await asyncio.to_thread(head, server, server.token)
    teams_only = {"types": ["Team.Created"]}
    variables: list[dict[str, Any]] = [
        {"after": after},
        {"after": after, "payload": False},
        {"after": after, "filter": teams_only},
    ]

    async with AsyncExitStack() as stack:
        streams = [
            await stack.enter_async_context(subscribed(server, server.token, EVENTS, v))
            for v in variables
        ]
        await asyncio.to_thread(issue, server, server.token, "AUDITOR")
        team, _ = await asyncio.to_thread(create_team, server, server.token)
        with_payload, teams = await asyncio.gather(
            until_team(streams[0], team), until_team(streams[2], team)
        )
        async with asyncio.timeout(30):
            without_payload = [await anext(streams[1]) for _ in with_payload]

    assert [e["type"] for e in with_payload] == ["ApiToken.Issued", "Team.Created"]
    assert all("payload" in e for e in with_payload)
    assert [e["position"] for e in without_payload] == [e["position"] for e in with_payload]
    assert not any("payload" in e for e in without_payload)
    assert teams == with_payload[1:]


async def test_a_revoked_token_ends_its_subscriptions_and_only_those(server: Server) -> None:
    revoked, revoked_id = await asyncio.to_thread(issue, server, server.token, "INTEGRATION")
    kept, _ = await asyncio.to_thread(issue, server, server.token, "INTEGRATION")
    after = await asyncio.to_thread(head, server, server.token)

    async with (
        subscribed(server, revoked, EVENTS, {"after": after}) as ending,
        subscribed(server, kept, EVENTS, {"after": after}) as going_on,
    ):
        first, _ = await asyncio.to_thread(create_team, server, server.token)
        await asyncio.gather(until_team(ending, first), until_team(going_on, first))
        await asyncio.to_thread(server.client().data, REVOKE, {"id": revoked_id})
        await asyncio.sleep(max(RECHECK_SECONDS, SHARED_SECONDS) + 0.5)
        second, _ = await asyncio.to_thread(create_team, server, server.token)
        (delivered,) = await until_team(going_on, second)
        with pytest.raises(TransportQueryError) as ended:
            await until_team(ending, second)

    assert delivered["payload"]["name"] == second
    assert ended.value.errors is not None
    assert ended.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
