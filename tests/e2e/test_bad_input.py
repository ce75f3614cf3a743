"""Bad input gets a clear error with a code: never a 500, never a stored event."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.e2e.server import Api, Server, stored_events
from tests.e2e.test_graphql_api import demo_ids

CHECK_IN = """mutation($k: ID!, $v: Float!, $c: Int!, $note: String!) {
  recordCheckIn(input: {keyResultId: $k, value: $v, confidence: $c,
    effectiveAt: "2026-09-01T00:00:00Z", note: $note}) {
    checkIn { id } userErrors { field code } } }"""


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.fixture
def unchanged(server: Server) -> Any:
    """Checks, after the test, that the event store holds no new event."""
    before = stored_events(server.url)
    yield
    assert stored_events(server.url) == before


def post_raw(
    server: Server, content: bytes, content_type: str = "application/json"
) -> httpx.Response:
    return httpx.post(
        f"{server.base}/graphql",
        content=content,
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": content_type},
        timeout=30,
    )


@pytest.mark.usefixtures("unchanged")
def test_wrong_types_are_refused_with_a_code(server: Server) -> None:
    key_result = demo_ids(server)["tier2"]
    body = server.client().run(CHECK_IN, {"k": key_result, "v": "lots", "c": 5, "note": ""})

    assert body.get("data") is None
    assert codes(body) == ["BAD_REQUEST"]


@pytest.mark.usefixtures("unchanged")
def test_nan_and_infinity_are_refused(server: Server) -> None:
    key_result = demo_ids(server)["tier2"]
    for value in ("NaN", "Infinity"):
        document = json.dumps(
            {"query": CHECK_IN, "variables": {"k": key_result, "c": 5, "note": ""}}
        )
        document = document.replace('"variables": {', f'"variables": {{"v": {value}, ')
        response = post_raw(server, document.encode())
        assert response.status_code in (200, 400), response.text
        assert response.status_code != 500
        if response.status_code == 200:
            assert codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.usefixtures("unchanged")
def test_a_megabyte_string_is_refused_before_parsing(server: Server) -> None:
    key_result = demo_ids(server)["tier2"]
    response = server.client().post(
        CHECK_IN, {"k": key_result, "v": 1, "c": 5, "note": "x" * 1_000_000}
    )

    assert response.status_code == 413
    assert codes(response.json()) == ["PAYLOAD_TOO_LARGE"]


@pytest.mark.usefixtures("unchanged")
def test_an_overlong_note_is_a_user_error(server: Server) -> None:
    key_result = demo_ids(server)["tier2"]
    data = server.client().data(CHECK_IN, {"k": key_result, "v": 1, "c": 5, "note": "x" * 10_000})

    assert data["recordCheckIn"] == {
        "checkIn": None,
        "userErrors": [{"field": "note", "code": "INVALID_INPUT"}],
    }


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("key_result", ["", "garbage", "VGVhbTpub3BlCg==", "S2V5UmVzdWx0OnguLi4="])
def test_unknown_and_mistyped_ids_are_not_found(server: Server, key_result: str) -> None:
    data = server.client().data(CHECK_IN, {"k": key_result, "v": 1, "c": 5, "note": ""})

    assert data["recordCheckIn"] == {
        "checkIn": None,
        "userErrors": [{"field": "keyResultId", "code": "NOT_FOUND"}],
    }


@pytest.mark.usefixtures("unchanged")
def test_an_id_of_another_type_is_not_found(server: Server) -> None:
    ids = demo_ids(server)
    data = server.client().data(CHECK_IN, {"k": ids["upgrade"], "v": 1, "c": 5, "note": ""})

    assert data["recordCheckIn"]["userErrors"] == [{"field": "keyResultId", "code": "NOT_FOUND"}]


def test_deep_and_alias_heavy_queries_are_refused(server: Server) -> None:
    deep = "{ objectives { nodes { " + "children { " * 15 + "id" + " }" * 15 + " } } }"
    aliases = "{ " + " ".join(f"a{n}: organization {{ name }}" for n in range(40)) + " }"
    api = server.client()

    assert codes(api.run(deep)) == ["BAD_REQUEST"]
    assert codes(api.run(aliases)) == ["BAD_REQUEST"]
    assert "aliases found. Allowed: 30" in api.run(aliases)["errors"][0]["message"]


@pytest.mark.parametrize("fields", [1200, 40_000])
def test_a_huge_document_is_refused(server: Server, fields: int) -> None:
    """Past 1000 tokens; a long one is parsed beside the event loop, with the same answer."""
    many_fields = "{ organization { " + " ".join(["name"] * fields) + " } }"

    body = server.client().run(many_fields)

    assert codes(body) == ["GRAPHQL_PARSE_FAILED"]
    assert "more than 1000 tokens" in body["errors"][0]["message"]


def test_a_long_document_within_the_limits_is_answered(server: Server) -> None:
    padded = "{ organization { name } }" + " " * 20_000 + "# padding"

    assert server.client().data(padded) == {"organization": {"name": "Sunshine"}}


def test_no_token_bad_tokens_and_no_introspection(server: Server) -> None:
    for token in ("", "okr_not-a-real-token", "x" * 500):
        body = Api(server.base, token).run("{ organization { name } }")
        assert body["data"] == {"organization": None}
        assert codes(body) == ["UNAUTHENTICATED"]
    response = httpx.post(
        f"{server.base}/graphql",
        json={"query": "{ organization { name } }"},
        headers={"Authorization": "Basic dXNlcjpwYXNz"},
    )
    assert codes(response.json()) == ["UNAUTHENTICATED"]
    introspection = server.client().run("{ __schema { types { name } } }")
    assert introspection.get("data") is None
    assert set(codes(introspection)) == {"BAD_REQUEST"}
    assert "introspection" in introspection["errors"][0]["message"]


@pytest.mark.usefixtures("unchanged")
def test_batches_get_requests_and_broken_bodies_are_refused(server: Server) -> None:
    key_result = demo_ids(server)["tier2"]
    batch = json.dumps([{"query": "{ organization { name } }"}] * 2).encode()
    mutation = 'mutation { createTeam(input: {name: "Via GET"}) { team { name } } }'

    responses = [
        post_raw(server, batch),
        post_raw(server, b"{not json"),
        post_raw(server, b"query=x", "application/x-www-form-urlencoded"),
        httpx.get(
            f"{server.base}/graphql",
            params={"query": mutation},
            headers={"Authorization": f"Bearer {server.token}"},
        ),
        post_raw(server, json.dumps({"query": CHECK_IN, "variables": [key_result]}).encode()),
    ]

    assert [r.status_code for r in responses] == [400] * 5, [r.text for r in responses]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "body", [b'"hello"', b"null", b"1e309", b'{"query": "{ organization { name } }"\xff\xfe}']
)
def test_bodies_that_are_not_json_objects_are_refused(server: Server, body: bytes) -> None:
    response = post_raw(server, body)

    assert response.status_code == 400, response.text
    assert codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('{ events(after: "ZXZlbnR8bm90LWEtbnVtYmVy") { nodes { type } } }', "after"),
        ('{ alignmentTree(asOf: "2026-08-20T00:00:00") { parent { id } } }', "asOf"),
        ('{ alignmentTree(asOf: "0001-01-01T00:00:00+01:00") { parent { id } } }', "asOf"),
        ('{ events(filter: {since: "9999-12-31T23:59:59-01:00"}) { nodes { type } } }', "since"),
    ],
)
def test_bad_times_and_cursors_have_codes(server: Server, query: str, field: str) -> None:
    body = server.client().run(query)

    assert codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"name": "a\u0000b", "start": 0, "target": 1}, "title"),
        ({"name": "ok", "start": -1e308, "target": 1e308}, "start"),
        ({"name": "ok", "start": 0, "target": 1e-300}, "target"),
    ],
)
def test_values_that_would_poison_the_views_are_refused(
    server: Server, variables: dict[str, Any], field: str
) -> None:
    objective = demo_ids(server)["upgrade"]
    data = server.client().data(
        """mutation($o: ID!, $name: String!, $start: Float!, $target: Float!) {
             addKeyResult(input: {objectiveId: $o, title: $name, metric: INCREASE_TO,
               start: $start, target: $target}) { keyResult { id } userErrors { field code } } }""",
        {"o": objective, **variables},
    )

    assert data["addKeyResult"] == {
        "keyResult": None,
        "userErrors": [{"field": field, "code": "INVALID_INPUT"}],
    }
