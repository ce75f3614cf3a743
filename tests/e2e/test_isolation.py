"""Two organizations on one server: neither sees, nor touches, the other's data."""

from __future__ import annotations

import pytest

from tests.e2e.server import Api, Server, stored_events
from tests.e2e.tenants import second_organization
from tests.e2e.test_graphql_api import demo_ids


@pytest.fixture(scope="module")
def globex(server: Server) -> Api:
    return server.client(second_organization(server))


def test_every_root_hides_the_other_organizations_objects(server: Server, globex: Api) -> None:
    ids = demo_ids(server)
    by_id = """query($o: ID!, $k: ID!, $p: ID!, $t: ID!, $l: ID!, $c: ID!) {
        objective(id: $o) { id } keyResult(id: $k) { id } period(id: $p) { id }
        team(id: $t) { id } person(id: $l) { id } health(periodId: $p) { keyResults }
        asOf: objective(id: $o, asOf: "2026-08-01T00:00:00Z") { id }
        krAsOf: keyResult(id: $k, asOf: "2026-08-01T00:00:00Z") { id }
        org: node(id: $o) { id } kr: node(id: $k) { id } per: node(id: $p) { id }
        tm: node(id: $t) { id } who: node(id: $l) { id } ci: node(id: $c) { id } }"""
    variables = {
        "o": ids["upgrade"],
        "k": ids["tier2"],
        "p": ids["period"],
        "t": ids["team"],
        "l": ids["lead"],
        "c": ids["check_in"],
    }

    assert all(value is not None for value in server.client().data(by_id, variables).values())
    assert all(value is None for value in globex.data(by_id, variables).values())


def test_lists_and_the_audit_log_hold_only_the_callers_organization(globex: Api) -> None:
    data = globex.data(
        """{ organization { name } objectives { nodes { id } } periods { id } teams { id }
             people { id } alignmentTree { objective { id } } apiTokens { name }
             events(first: 100) { nodes { organizationId type } } }"""
    )

    assert data["organization"] == {"name": "Globex"}
    assert data["objectives"]["nodes"] == data["periods"] == data["teams"] == data["people"] == []
    assert data["alignmentTree"] == []
    assert data["apiTokens"] == [{"name": "Globex admin"}]
    organizations = {e["organizationId"] for e in data["events"]["nodes"]}
    assert len(organizations) == 1
    assert {e["type"] for e in data["events"]["nodes"]} == {
        "Organization.Created",
        "ApiToken.Issued",
    }


def test_the_other_organizations_ids_are_not_found_by_mutations(
    server: Server, globex: Api
) -> None:
    ids = demo_ids(server)
    before = stored_events(server.url)

    data = globex.data(
        """mutation($k: ID!, $o: ID!) {
             recordCheckIn(input: {keyResultId: $k, value: 1, confidence: 5,
               effectiveAt: "2026-09-01T00:00:00Z"}) { userErrors { field code } }
             archiveObjective(input: {objectiveId: $o}) {
               objective { id } userErrors { code } } }""",
        {"k": ids["tier2"], "o": ids["upgrade"]},
    )

    assert data["recordCheckIn"]["userErrors"] == [{"field": "keyResultId", "code": "NOT_FOUND"}]
    assert data["archiveObjective"] == {"objective": None, "userErrors": [{"code": "NOT_FOUND"}]}
    assert stored_events(server.url) == before
