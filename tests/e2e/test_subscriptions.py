"""The `events` subscription over graphql-transport-ws, with the gql client."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportError, TransportQueryError
from gql.transport.websockets import WebsocketsTransport
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.e2e.server import Server
from tests.e2e.subscribe import subscribed
from tests.e2e.tenants import second_organization, token_for
from tests.e2e.test_graphql_api import demo_ids

EVENTS = """subscription($after: String, $filter: EventFilter) {
  events(after: $after, filter: $filter) {
    cursor position type aggregateId organizationId actor } }"""

LOG = """query($after: String, $filter: EventFilter) {
  events(first: 100, after: $after, filter: $filter) {
    nodes { position type } pageInfo { hasNextPage endCursor } } }"""


@asynccontextmanager
async def events(
    server: Server, token: str, after: str | None = None, **extra: Any
) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
    """A live subscription to every event after `after`; yields an iterator of events."""
    variables = {"after": after, "filter": extra_filter.get()}
    async with subscribed(server, token, EVENTS, variables, **extra) as stream:
        yield stream


class _Filter:
    """The filter the next `events()` call subscribes with."""

    def __init__(self) -> None:
        self.value: dict[str, Any] | None = None

    def get(self) -> dict[str, Any] | None:
        value, self.value = self.value, None
        return value


extra_filter = _Filter()


async def take(stream: AsyncIterator[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    got = []
    async with asyncio.timeout(30):
        async for event in stream:
            got.append(event)
            if len(got) == count:
                break
    return got


def log_positions(
    server: Server, after: str | None = None, where: dict[str, Any] | None = None
) -> list[int]:
    """Every audit-log position of the demo organization after `after`, over HTTP.

    Tests read whole backlogs and leave in the live phase: a client that leaves mid-backlog
    has unread frames in flight, and its library then times out the close handshake."""
    positions: list[int] = []
    while True:
        page = server.client().data(LOG, {"after": after, "filter": where})["events"]
        positions += [n["position"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return positions
        after = page["pageInfo"]["endCursor"]


async def check_in(server: Server, key_result: str, value: float) -> None:
    await asyncio.to_thread(
        server.client().data,
        """mutation($k: ID!, $v: Float!) { recordCheckIn(input: {keyResultId: $k, value: $v,
             confidence: 7, effectiveAt: "2026-09-30T12:00:00Z"}) { userErrors { code } } }""",
        {"k": key_result, "v": value},
    )


async def test_the_backlog_then_live_ones_in_order_without_gaps(server: Server) -> None:
    ids = await asyncio.to_thread(demo_ids, server)
    history = await asyncio.to_thread(log_positions, server)

    async with events(server, server.token) as stream:
        backlog = await take(stream, len(history))
        await check_in(server, ids["tier2"], 480)
        (live,) = await take(stream, 1)

    assert [e["position"] for e in backlog] == history
    assert backlog[0]["type"] == "Organization.Created"
    assert live["type"] == "KeyResult.CheckInRecorded"
    assert live["position"] > history[-1]
    assert all(e["cursor"] for e in backlog)


async def test_a_reconnect_with_the_last_cursor_misses_nothing_and_repeats_nothing(
    server: Server,
) -> None:
    ids = await asyncio.to_thread(demo_ids, server)
    history = await asyncio.to_thread(log_positions, server)
    near_head = base64.b64encode(f"event|{history[-11]}".encode()).decode()
    async with events(server, server.token, after=near_head) as stream:
        first = await take(stream, 10)
    cursor = first[-1]["cursor"]
    for value in (481, 482, 483):
        await check_in(server, ids["tier2"], value)
    expected = await asyncio.to_thread(log_positions, server, cursor)

    async with events(server, server.token, after=cursor) as stream:
        resumed = await take(stream, len(expected))

    positions = [e["position"] for e in resumed]
    assert positions == expected
    assert positions[0] > first[-1]["position"]
    assert [e["type"] for e in resumed][-3:] == ["KeyResult.CheckInRecorded"] * 3


async def test_a_filter_by_objective_follows_its_key_results(server: Server) -> None:
    ids = await asyncio.to_thread(demo_ids, server)
    where = {"objectiveId": ids["upgrade"], "types": ["KeyResult.CheckInRecorded"]}
    expected = await asyncio.to_thread(log_positions, server, None, where)
    extra_filter.value = where
    async with events(server, server.token) as stream:
        backlog = await take(stream, len(expected))

    assert [e["position"] for e in backlog] == expected
    assert len(expected) >= 13 * 4

    assert {e["type"] for e in backlog} == {"KeyResult.CheckInRecorded"}
    assert ids["tier2"] in {e["aggregateId"] for e in backlog}


async def test_another_organization_sees_only_its_own_events(server: Server) -> None:
    ids = await asyncio.to_thread(demo_ids, server)
    globex_token = await asyncio.to_thread(second_organization, server, "Initech")

    async with events(server, globex_token) as stream:
        own = await take(stream, 2)
        await check_in(server, ids["tier2"], 490)
        await asyncio.to_thread(
            server.client(globex_token).data,
            'mutation { createTeam(input: {name: "Initech ops"}) { team { name } } }',
        )
        (live,) = await take(stream, 1)

    assert [e["type"] for e in own] == ["Organization.Created", "ApiToken.Issued"]
    assert live["type"] == "Team.Created"
    assert len({e["organizationId"] for e in [*own, live]}) == 1


REFUSED = (TransportError, ConnectionClosed, InvalidStatus)


def cause_chain(error: BaseException) -> str:
    parts = []
    current: BaseException | None = error
    while current is not None:
        parts.append(str(current))
        current = current.__cause__ or current.__context__
    return " | ".join(parts)


@pytest.mark.parametrize("token", ["", "okr_wrong"])
async def test_a_connection_without_a_valid_token_is_refused(server: Server, token: str) -> None:
    with pytest.raises(REFUSED) as refused:
        async with events(server, token) as stream:
            await take(stream, 1)

    assert "4403" in cause_chain(refused.value)


async def test_a_foreign_origin_is_refused(server: Server) -> None:
    with pytest.raises(REFUSED) as refused:
        async with events(server, server.token, headers={"Origin": "https://evil.example"}) as s:
            await take(s, 1)

    assert "403" in cause_chain(refused.value)


async def test_a_member_may_not_subscribe(server: Server) -> None:
    ids = await asyncio.to_thread(demo_ids, server)
    member = await asyncio.to_thread(token_for, server, "MEMBER", ids["lead"])

    with pytest.raises(TransportQueryError) as refused:
        async with events(server, member) as stream:
            await take(stream, 1)

    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_revoked_token_stops_working_on_an_open_connection(server: Server) -> None:
    secret = await asyncio.to_thread(token_for, server, "ADMIN")
    tokens = await asyncio.to_thread(server.client().data, "{ apiTokens { id } }")
    token_id = tokens["apiTokens"][-1]["id"]
    transport = WebsocketsTransport(
        url=server.ws,
        init_payload={"authorization": f"Bearer {secret}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        close_timeout=1,
    )
    async with Client(transport=transport) as session:
        before = await session.execute(GraphQLRequest("{ organization { name } }"))
        await asyncio.to_thread(
            server.client().data,
            "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { userErrors { code } } }",
            {"id": token_id},
        )
        with pytest.raises(TransportQueryError) as refused:
            await session.execute(
                GraphQLRequest('mutation { createTeam(input: {name: "Ghost"}) { team { name } } }')
            )

    assert before == {"organization": {"name": "Sunshine"}}
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_integrations_see_no_token_events_and_nobody_sees_a_secret_hash(
    server: Server,
) -> None:
    integration = await asyncio.to_thread(token_for, server, "INTEGRATION")
    history = await asyncio.to_thread(log_positions, server)
    head = base64.b64encode(f"event|{history[-1]}".encode()).decode()

    async with events(server, integration, after=head) as stream:
        await asyncio.to_thread(token_for, server, "AUDITOR")
        await asyncio.to_thread(
            server.client().data,
            'mutation { createTeam(input: {name: "Integrations watch"}) { team { name } } }',
        )
        (first,) = await take(stream, 1)

    assert first["type"] == "Team.Created"
    issued = await asyncio.to_thread(
        server.client().data,
        '{ events(first: 100, filter: {types: ["ApiToken.Issued"]}) { nodes { payload } } }',
    )
    assert issued["events"]["nodes"]
    assert all("secret_hash" not in e["payload"] for e in issued["events"]["nodes"])
