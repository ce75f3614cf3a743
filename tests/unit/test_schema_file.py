"""schema.graphql at the repository root is the schema the server serves."""

from __future__ import annotations

from pathlib import Path

from okr.graphql.schema import build_schema, schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_graphql_is_current() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "schema.graphql is stale: run `okr schema > schema.graphql`"
    )


async def test_introspection_is_on_only_in_dev() -> None:
    query = "{ __schema { queryType { name } } }"

    assert (await build_schema(dev=True).execute(query)).data == {
        "__schema": {"queryType": {"name": "Query"}}
    }
    refused = await build_schema().execute(query)
    assert refused.data is None
    assert refused.errors


async def test_a_subscription_refused_before_it_starts_still_has_codes() -> None:
    stream = await build_schema().subscribe("subscription { events(after: 5) { position } }")

    results = [result async for result in stream]

    assert [(e.extensions or {}).get("code") for r in results for e in r.errors or []] == [
        "BAD_REQUEST"
    ]
