"""An operation's cost is worked out before it runs: page sizes multiply through nested lists
and costly fields weigh more. The default limit passes every query the README, the tests and
the benchmark send, and refuses the hostile query of issue 11."""

from __future__ import annotations

import ast
import json
import re
import time
from pathlib import Path
from typing import Any, cast

import pytest
from graphql import GraphQLError, OperationDefinitionNode, parse, validate

from bench import queries as bench
from okr.graphql.context import RequestContext
from okr.graphql.cost import MAX_QUERY_COST, operation_cost
from okr.graphql.schema import build_schema
from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.server import MAX_COST_VARIABLE, Settings
from tests.e2e import test_graphql_api as api
from tests.integration import test_statement_counts as counts

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = build_schema(dev=True)._schema
HOSTILE = (
    "{ objectives(first:100){ nodes { keyResults { objective { keyResults { objective { "
    "keyResults { objective { keyResults { objective { id }}}}}}}}}}}"
)
DEEPER = HOSTILE.replace("objective { id }", "objective { keyResults { objective { id }}}")
TREE_NOW = (
    "query($at: DateTime) { alignmentTree(asOf: $at) { objective { id title status progress "
    "lead { name } keyResults { title progress } } parent { id } } }"
)
"""test_graphql_api's tree as of now (built there with an f-string)."""
QUARTER = {"from": "2026-07-01", "to": "2026-09-30"}
SENT = [
    pytest.param(bench.HISTORY, {"id": "x", **QUARTER}, id="bench-history"),
    pytest.param(bench.TEAM_OBJECTIVES, {"team": "t", "period": "p"}, id="bench-team"),
    pytest.param(bench.ALIGNMENT_TREE, {"id": "x"}, id="bench-tree"),
    pytest.param(bench.AUDIT_PAGE, {}, id="bench-audit"),
    pytest.param(
        bench.OBJECTIVE_AS_OF, {"id": "x", "at": "2026-08-01T00:00:00Z"}, id="bench-as-of"
    ),
    pytest.param(
        counts.TEAM_OBJECTIVES, {"team": "t", "period": "p", "first": 10}, id="counts-team"
    ),
    pytest.param(counts.ALIGNMENT_TREE, {"id": "x"}, id="counts-tree"),
    pytest.param(api.QUARTER, {}, id="api-quarter"),
    pytest.param(api.IDS, {}, id="api-ids"),
    pytest.param(TREE_NOW, {"at": "2026-08-01T00:00:00Z"}, id="api-tree-as-of-now"),
]


def cost(document: str, variables: dict[str, Any] | None = None) -> int:
    """The cost of the valid `document`; `$n` (an Int), `$from` and `$to` (dates) are
    declared for it when it uses them."""
    used = [v for v in ("$n: Int", "$from: Date!", "$to: Date!") if v.split(":")[0] in document]
    if used and document.startswith("{"):
        document = f"query({', '.join(used)}) {document}"
    parsed = parse(document)
    assert not validate(SCHEMA, parsed)
    return operation_cost(SCHEMA, parsed, None, variables)


def readme_queries() -> list[str]:
    """The documents of the README's curl examples."""
    bodies = re.findall(r"-d '(\{\"query\".*?\})'", (ROOT / "README.md").read_text())
    return [json.loads(body)["query"] for body in bodies]


def written_documents() -> list[tuple[str, str | None]]:
    """Every valid document written as a string in the tests and the benchmark (these tests'
    own, and the attacks the benchmark sends to be refused, aside), with each operation's
    name."""
    own = {Path(__file__).name, "test_query_cost.py", "hostile.py"}
    found = []
    for path in sorted([*ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/*.py")]):
        if path.name in own:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            try:
                document = parse(node.value)
            except GraphQLError:
                continue
            if validate(SCHEMA, document):
                continue
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            found += [(node.value, o.name.value if o.name else None) for o in operations]
    return found


def test_the_hostile_query_of_issue_11_is_over_the_default_and_so_is_one_level_deeper() -> None:
    assert cost(HOSTILE) == 100 * (1 + 5 * (2 + 5 * (2 + 5 * (2 + 5 * 2)))) + 1 == 156_101
    assert cost(DEEPER) == 781_101
    assert cost(HOSTILE) > 3 * MAX_QUERY_COST


@pytest.mark.parametrize(("document", "variables"), SENT)
def test_what_the_tests_and_the_benchmark_send_is_under_the_default(
    document: str, variables: dict[str, Any]
) -> None:
    assert 0 < cost(document, variables) < MAX_QUERY_COST


def test_the_readme_query_is_under_the_default() -> None:
    (query,) = readme_queries()

    assert 0 < cost(query) < MAX_QUERY_COST


def test_every_document_the_tests_and_the_benchmark_write_is_under_the_default() -> None:
    """Variables unset: pages count at their default, histories at MAX_POINTS."""
    documents = written_documents()
    costs = {text: operation_cost(SCHEMA, parse(text), name, {}) for text, name in documents}

    assert len(documents) > 80
    assert max(costs.values()) < MAX_QUERY_COST, max(costs, key=costs.__getitem__)


@pytest.mark.parametrize(
    ("first", "expected"),
    [("first: 10", 61), ("first: $n", 121), ("", 301), ("first: null", 301), ("first: 500", 601)],
)
def test_a_page_multiplies_what_each_of_its_nodes_costs(first: str, expected: int) -> None:
    """The connection costs 1, each objective 1 and each of its 5 assumed key results 1."""
    arguments = f"({first})" if first else ""
    document = f"{{ objectives{arguments} {{ nodes {{ id keyResults {{ id }} }} }} }}"

    assert cost(document, {"n": 20}) == expected


def test_edges_cost_their_node_too() -> None:
    assert (
        cost("{ objectives(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }")
        == 22
    )


@pytest.mark.parametrize(
    ("arguments", "points"),
    [
        ('from: "2026-07-01", to: "2026-09-30"', 13),
        ('from: "2026-07-01", to: "2026-09-30", interval: DAY', 92),
        ('from: "2000-01-01", to: "2100-01-01", interval: DAY', 400),
        ("from: $from, to: $to", 13),
        ('from: "2026-09-30", to: "2026-07-01"', 1),
    ],
)
def test_a_history_costs_5_and_its_points(arguments: str, points: int) -> None:
    document = f"{{ keyResult(id: 1) {{ history({arguments}) {{ on }} }} }}"

    assert cost(document, QUARTER) == 1 + 5 + points


def test_unknown_variables_count_at_the_most() -> None:
    document = "{ keyResult(id: 1) { history(from: $from, to: $to) { on } } }"

    assert cost(document, {"from": "yesterday"}) == 1 + 5 + 400


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("", 1 + 5 * 2),
        (", asOf: null", 1 + 5 * 2),
        (', asOf: "2026-08-01T00:00:00Z"', 10 + 5 * (2 + 10)),
    ],
)
def test_an_objective_as_of_a_moment_is_folded_and_costs_more(as_of: str, expected: int) -> None:
    document = f'{{ objective(id: "x"{as_of}) {{ keyResults {{ objective {{ id }} }} }} }}'

    assert cost(document) == expected


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('{ health(periodId: "p") { stale advice { code } } }', 50 + 1 + 20),
        ("{ events(first: 10) { nodes { type } } }", 10 + 1 + 10),
        ("{ alignmentTree { parent { id } } }", 10 + 1000 * 2),
        ('{ alignmentTree(asOf: "2026-08-01T00:00:00Z") { parent { id } } }', 10 + 1000 * 11),
        ("subscription { events { type } }", 10 + 1),
        ('mutation { createTeam(input: {name: "x"}) { team { id } userErrors { code } } }', 22),
        ("{ organization { ...A ...A id } } fragment A on Organization { id name }", 1),
        ("{ a: organization { id } b: organization { id } }", 2),
        (
            '{ node(id: "x") { ... on Objective { keyResults { id } } '
            "... on Team { members { id } } } }",
            21,
        ),
        (
            "{ organization { id } people @skip(if: true) { id } "
            "teams @include(if: false) { id } }",
            1,
        ),
        ("{ __schema { types { fields { args { name } } } } }", 0),
    ],
)
def test_weights_fragments_interfaces_and_directives(document: str, expected: int) -> None:
    assert cost(document) == expected


def test_fragments_spread_many_times_are_costed_once_each() -> None:
    """Twelve levels of three spreads each: 3**12 paths, costed in a few hundred steps."""
    levels = [
        f"fragment F{n} on Objective {{ id children {{ ...F{n + 1} }} ancestors {{ ...F{n + 1} }} "
        f"alignedObjective {{ ...F{n + 1} }} }}"
        for n in range(12)
    ]
    document = parse(
        " ".join(["{ objective(id: 1) { ...F0 } }", *levels, "fragment F12 on Objective { id }"])
    )

    started = time.monotonic()
    total = operation_cost(SCHEMA, document)

    assert time.monotonic() - started < 1
    assert total > 10**12


async def test_an_operation_over_the_limit_is_refused_before_it_runs() -> None:
    document = "{ objectives(first: 10) { nodes { id keyResults { id } } } }"
    context = RequestContext(cast(Any, None), cast(Any, None), None)

    refused = await build_schema(max_cost=60).execute(document, context_value=context)
    ran = await build_schema(max_cost=61).execute(document, context_value=context)

    assert refused.data is None
    assert [e.extensions for e in refused.errors or []] == [
        {"code": "QUERY_TOO_COSTLY", "cost": 61, "limit": 60}
    ]
    assert refused.extensions == {"cost": {"requested": 61, "limit": 60}}
    assert [(e.extensions or {})["code"] for e in ran.errors or []] == ["UNAUTHENTICATED"]
    assert ran.extensions == {"cost": {"requested": 61, "limit": 61}}


async def test_every_answer_carries_its_cost_but_an_invalid_document_has_none() -> None:
    schema = build_schema()

    answered = await schema.execute("{ __typename }")
    invalid = await schema.execute("{ nothing }")

    assert (answered.data, answered.extensions) == (
        {"__typename": "Query"},
        {"cost": {"requested": 0, "limit": MAX_QUERY_COST}},
    )
    assert invalid.errors
    assert not invalid.extensions


async def test_a_subscription_is_costed_too_and_its_results_do_not_carry_the_cost() -> None:
    stream = await build_schema(max_cost=10).subscribe("subscription { events { position } }")

    results = [result async for result in stream]

    assert [e.extensions for r in results for e in r.errors or []] == [
        {"code": "QUERY_TOO_COSTLY", "cost": 11, "limit": 10}
    ]
    assert not any(r.extensions for r in results)


URL = DatabaseUrl("memory:")


def test_the_limit_is_set_by_okr_max_query_cost() -> None:
    assert Settings.from_environ(URL, {}).max_query_cost == MAX_QUERY_COST == 50_000
    assert Settings.from_environ(URL, {MAX_COST_VARIABLE: "1000"}).max_query_cost == 1000


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1.5", "1e6", " 9", "\u0663"])
def test_a_limit_that_is_not_a_positive_whole_number_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=MAX_COST_VARIABLE):
        Settings.from_environ(URL, {MAX_COST_VARIABLE: value})
