"""Each role against representative reads and writes; the actor is the token's."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.e2e.cli import okr
from tests.e2e.server import Api, Server, stored_events
from tests.e2e.tenants import token_for
from tests.e2e.test_graphql_api import demo_ids

ROLES = ["ADMIN", "MEMBER", "VIEWER", "AUDITOR", "INTEGRATION"]

CHECK_IN = """mutation($k: ID!) { recordCheckIn(input: {keyResultId: $k, value: 300,
  confidence: 6, effectiveAt: "2026-09-20T12:00:00Z"}) {
  checkIn { author } userErrors { code } } }"""
CREATE_TEAM = """mutation { createTeam(input: {name: "Night shift"}) { team { name } } }"""
AUDIT_LOG = "{ events(first: 1) { nodes { type } } }"
READ = "{ objectives(first: 1) { nodes { title } } }"

ALLOWED = {
    "check in": {"ADMIN", "MEMBER"},
    "create team": {"ADMIN"},
    "read the audit log": {"ADMIN", "AUDITOR"},
    "read objectives": set(ROLES),
}


@pytest.fixture(scope="module")
def clients(server: Server) -> dict[str, Api]:
    person = demo_ids(server)["lead"]
    return {
        role: server.client(
            token_for(server, role, person if role in ("MEMBER", "VIEWER") else None)
        )
        for role in ROLES
    }


def attempt(api: Api, action: str, key_result: str) -> dict[str, Any]:
    document, variables = {
        "check in": (CHECK_IN, {"k": key_result}),
        "create team": (CREATE_TEAM, {}),
        "read the audit log": (AUDIT_LOG, {}),
        "read objectives": (READ, {}),
    }[action]
    return api.run(document, variables)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_the_permission_matrix(
    server: Server, clients: dict[str, Api], role: str, action: str
) -> None:
    key_result = demo_ids(server)["tier2"]
    before = stored_events(server.url)

    body = attempt(clients[role], action, key_result)

    if role in ALLOWED[action]:
        assert "errors" not in body, body
    else:
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert stored_events(server.url) == before


def test_a_members_check_in_is_recorded_as_that_person(
    server: Server, clients: dict[str, Api]
) -> None:
    ids = demo_ids(server)

    data = clients["MEMBER"].data(CHECK_IN, {"k": ids["tier2"]})

    lead = raw_id(ids["lead"])
    assert data["recordCheckIn"]["checkIn"]["author"] == f"person:{lead}"
    log = server.client().data(
        '{ events(first: 100, filter: {types: ["KeyResult.CheckInRecorded"], '
        'since: "2026-11-01T00:00:00Z"}) { nodes { actor } } }'
    )
    assert f"person:{lead}" in {e["actor"] for e in log["events"]["nodes"]}


def raw_id(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


def test_a_member_token_needs_a_person(server: Server) -> None:
    data = server.client().data(
        'mutation { issueApiToken(input: {name: "x", role: MEMBER}) '
        "{ secret userErrors { field code } } }"
    )

    assert data["issueApiToken"] == {
        "secret": None,
        "userErrors": [{"field": "personId", "code": "INVALID_INPUT"}],
    }


def test_a_revoked_token_gets_no_data(server: Server) -> None:
    secret = token_for(server, "INTEGRATION")
    api = server.client(secret)
    assert "errors" not in api.run(READ)
    tokens = server.client().data("{ apiTokens { id name revokedAt } }")["apiTokens"]
    newest = tokens[-1]

    revoked = server.client().data(
        "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { token { revokedAt } } }",
        {"id": newest["id"]},
    )

    assert revoked["revokeApiToken"]["token"]["revokedAt"] is not None
    body = api.run(READ)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_persons_token_stops_working_when_they_leave(server: Server) -> None:
    admin = server.client()
    person = admin.data(
        'mutation { registerPerson(input: {name: "Leaving Soon"}) { person { id } } }'
    )["registerPerson"]["person"]["id"]
    api = server.client(token_for(server, "MEMBER", person))
    assert "errors" not in api.run(READ)

    admin.data(
        "mutation($p: ID!) { deactivatePerson(input: {personId: $p}) { person { active } } }",
        {"p": person},
    )

    body = api.run(READ)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    refused = admin.data(
        """mutation($p: ID) { issueApiToken(input: {name: "x", role: MEMBER, personId: $p})
             { secret userErrors { field code } } }""",
        {"p": person},
    )
    assert refused["issueApiToken"] == {
        "secret": None,
        "userErrors": [{"field": "personId", "code": "INVALID_INPUT"}],
    }


def test_tokens_from_the_command_line(server: Server) -> None:
    organization = server.client().data("{ organization { id } }")["organization"]["id"]
    raw = raw_id(organization)
    created = okr(
        "token",
        "create",
        "--organization",
        raw,
        "--role",
        "AUDITOR",
        "--name",
        "auditor",
        url=server.url,
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    assert "errors" not in server.client(secret).run(AUDIT_LOG)

    listed = okr("token", "list", "--organization", raw, url=server.url)
    assert "AUDITOR" in listed.stdout
    assert secret not in listed.stdout
    token_id = created.stdout.split()[1]
    revoked = okr("token", "revoke", token_id, "--organization", raw, url=server.url)
    assert revoked.returncode == 0, revoked.stderr
    assert server.client(secret).run(AUDIT_LOG)["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
