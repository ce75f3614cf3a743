"""The public GraphQL contract, driven over HTTP against a running server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.e2e.server import Server, stored_events
from tests.e2e.tenants import token_for

QUARTER = """
query Quarter {
  objectives(filter: {level: TEAM}, first: 1) {
    nodes {
      title
      keyResults {
        title
        history(from: "2026-07-01", to: "2026-09-30", interval: WEEK) {
          on value target progress expectedProgress confidence
        }
      }
    }
  }
}
"""

IDS = """
{ organization { id }
  objectives(first: 10) { nodes { id title period { id } lead { id }
    keyResults { id title checkIns { id } } } }
  teams { id } }
"""


def demo_ids(server: Server) -> dict[str, Any]:
    data = server.client().data(IDS)
    objectives = {o["title"]: o for o in data["objectives"]["nodes"]}
    upgrade = objectives["Upgrade 10% of existing members to a higher-value product"]
    tier2 = next(k for k in upgrade["keyResults"] if "Tier 2 to Tier 1" in k["title"])
    return {
        "organization": data["organization"]["id"],
        "upgrade": upgrade["id"],
        "period": upgrade["period"]["id"],
        "lead": upgrade["lead"]["id"],
        "tier2": tier2["id"],
        "check_in": tier2["checkIns"][0]["id"],
        "team": data["teams"][0]["id"],
    }


def test_the_readme_query_shows_the_demo_quarter(server: Server) -> None:
    data = server.client().data(QUARTER)

    (upgrade,) = data["objectives"]["nodes"]
    assert upgrade["title"] == "Upgrade 10% of existing members to a higher-value product"
    tier2 = upgrade["keyResults"][0]
    assert tier2["title"] == "Upgrade 500 members from Tier 2 to Tier 1"
    assert len(tier2["history"]) == 13
    assert [p["value"] for p in tier2["history"]][:6] == [20, 45, 80, 110, 140, 185]
    assert tier2["history"][0] == {
        "on": "2026-07-07",
        "value": 20.0,
        "target": 500.0,
        "progress": 0.04,
        "expectedProgress": round(7 / 92, 6),
        "confidence": 6,  # okr/demo/quarter.py: CONFIDENCE[(1 + len("tier2_to_tier1")) % WEEKS]
    }


def test_node_fetches_every_kind_by_its_global_id(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    for key, typename in [
        ("organization", "Organization"),
        ("upgrade", "Objective"),
        ("period", "Period"),
        ("lead", "Person"),
        ("tier2", "KeyResult"),
        ("check_in", "CheckIn"),
        ("team", "Team"),
    ]:
        data = api.data("query($id: ID!) { node(id: $id) { __typename id } }", {"id": ids[key]})
        assert data["node"] == {"__typename": typename, "id": ids[key]}
    assert api.data('{ node(id: "not-an-id") { id } }')["node"] is None


def test_objectives_are_paged_with_first_and_after(server: Server) -> None:
    api = server.client()
    page = "query($after: String) { objectives(first: 2, after: $after) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }"  # noqa: E501
    first = api.data(page)["objectives"]
    second = api.data(page, {"after": first["pageInfo"]["endCursor"]})["objectives"]

    assert first["pageInfo"]["hasNextPage"] is True
    titles = [e["node"]["title"] for e in first["edges"] + second["edges"]]
    assert len(titles) == len(set(titles)) == 4
    too_many = api.run("{ objectives(first: 101) { nodes { id } } }")
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    bad_cursor = api.run('{ objectives(after: "nope") { nodes { id } } }')
    assert bad_cursor["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def test_as_of_shows_what_was_known_then(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    then = api.data(
        """query($id: ID!, $kr: ID!) {
             objective(id: $id, asOf: "2026-07-20T00:00:00Z") { asOf lead { name } version }
             keyResult(id: $kr, asOf: "2026-08-20T00:00:00Z") {
               currentValue status stale expectedProgress checkIns { value }
               history(from: "2026-07-01", to: "2026-09-30") { value } } }""",
        {"id": ids["upgrade"], "kr": ids["tier2"]},
    )
    now = api.data(
        "query($id: ID!) { objective(id: $id) { asOf lead { name } } }", {"id": ids["upgrade"]}
    )

    assert then["objective"]["lead"] == {"name": "Ben Okafor"}
    assert now["objective"] == {"asOf": None, "lead": {"name": "Chloe Martin"}}
    assert then["keyResult"]["currentValue"] == 220
    assert (then["keyResult"]["status"], then["keyResult"]["stale"]) == ("AT_RISK", False)
    assert then["keyResult"]["expectedProgress"] == round(50 / 92, 6)
    assert [c["value"] for c in then["keyResult"]["checkIns"]][4] == 150
    assert then["keyResult"]["history"][4]["value"] == 150


def test_a_mutation_answers_with_the_new_state(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    before = stored_events(server.url)

    data = api.data(
        """mutation($kr: ID!) { recordCheckIn(input: {keyResultId: $kr, value: 470,
             confidence: 9, effectiveAt: "2026-09-30T12:00:00Z", note: "final push"}) {
           checkIn { value confidence note author }
           keyResult { currentValue progress }
           userErrors { field message code } } }""",
        {"kr": ids["tier2"]},
    )

    payload = data["recordCheckIn"]
    assert payload["userErrors"] == []
    author = payload["checkIn"].pop("author")
    assert payload["checkIn"] == {"value": 470.0, "confidence": 9, "note": "final push"}
    tokens = api.data("{ apiTokens { id name actor } }")["apiTokens"]
    assert author in {t["actor"] for t in tokens if t["name"] == "demo admin"}
    assert author.startswith("integration:")
    assert payload["keyResult"] == {"currentValue": 470.0, "progress": 0.94}
    assert stored_events(server.url) == before + 1


def test_an_idempotency_key_returns_the_first_result(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    mutation = """mutation($kr: ID!) { recordCheckIn(input: {keyResultId: $kr, value: 471,
        confidence: 8, effectiveAt: "2026-09-30T13:00:00Z", idempotencyKey: "retry-1"}) {
        checkIn { id } userErrors { code } } }"""
    first = api.data(mutation, {"kr": ids["tier2"]})["recordCheckIn"]
    events = stored_events(server.url)
    again = api.data(mutation, {"kr": ids["tier2"]})["recordCheckIn"]

    assert again == first
    assert stored_events(server.url) == events


def test_a_refused_command_answers_with_user_errors_and_records_nothing(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    before = stored_events(server.url)

    data = api.data(
        """mutation($kr: ID!) { recordCheckIn(input: {keyResultId: $kr, value: 1,
             confidence: 11, effectiveAt: "2026-09-30T12:00:00Z"}) {
           checkIn { id } userErrors { field message code } } }""",
        {"kr": ids["tier2"]},
    )

    assert data["recordCheckIn"] == {
        "checkIn": None,
        "userErrors": [
            {
                "field": "confidence",
                "message": "confidence must be a whole number from 0 to 10",
                "code": "INVALID_INPUT",
            }
        ],
    }
    assert stored_events(server.url) == before


def test_health_and_advice_for_a_period(server: Server) -> None:
    ids = demo_ids(server)
    data = server.client().data(
        "query($p: ID!) { health(periodId: $p) { keyResults onTrack atRisk offTrack stale "
        "advice { code } } }",
        {"p": ids["period"]},
    )

    health = data["health"]
    assert health["keyResults"] == 7
    assert health["onTrack"] + health["atRisk"] + health["offTrack"] == 7
    assert health["atRisk"] == 3
    assert "PERSONAL_OBJECTIVE" in {a["code"] for a in health["advice"]}


def test_the_alignment_tree_as_of_a_date(server: Server) -> None:
    data = server.client().data(
        '{ alignmentTree(asOf: "2026-07-20T00:00:00Z") { objective { title lead { name } } '
        "parent { title } } }"
    )

    by_title = {n["objective"]["title"]: n for n in data["alignmentTree"]}
    upgrade = by_title["Upgrade 10% of existing members to a higher-value product"]
    assert upgrade["parent"] == {"title": "Grow revenue to 60M EUR in 2026"}
    assert upgrade["objective"]["lead"] == {"name": "Ben Okafor"}


def test_the_alignment_tree_now_matches_the_tree_as_known_at_this_moment(server: Server) -> None:
    """Now is read from the views, a past moment from the event store: they agree."""
    fields = (
        "objective { id title status progress lead { name } keyResults { title progress } } "
        "parent { id }"
    )
    api = server.client()
    now = api.data(f"{{ alignmentTree {{ {fields} }} }}")["alignmentTree"]
    moment = datetime.now(UTC).isoformat()
    then = api.data(
        f"query($at: DateTime) {{ alignmentTree(asOf: $at) {{ {fields} }} }}", {"at": moment}
    )["alignmentTree"]

    assert len(now) >= 4
    assert any(n["parent"] for n in now)
    assert now == then


def test_every_check_in_as_of_a_moment_holds_only_what_was_recorded_by_then(
    server: Server,
) -> None:
    query = """query($k: ID!, $at: DateTime) { keyResult(id: $k, asOf: $at) {
                 checkIns(includeSuperseded: true) { recordedAt supersededAt } } }"""
    api = server.client()
    tier2 = demo_ids(server)["tier2"]
    moment = "2026-08-15T12:00:00+00:00"

    now = api.data(query, {"k": tier2})["keyResult"]["checkIns"]
    then = api.data(query, {"k": tier2, "at": moment})["keyResult"]["checkIns"]

    cut = datetime.fromisoformat(moment)
    assert any(datetime.fromisoformat(c["recordedAt"]) > cut for c in now)
    assert any(c["supersededAt"] and datetime.fromisoformat(c["supersededAt"]) > cut for c in now)
    assert then
    assert all(datetime.fromisoformat(c["recordedAt"]) <= cut for c in then)
    assert all(
        c["supersededAt"] is None or datetime.fromisoformat(c["supersededAt"]) <= cut for c in then
    )


def test_two_mutations_in_one_request_each_see_the_state_they_made(server: Server) -> None:
    ids = demo_ids(server)
    data = server.client().data(
        """mutation($o: ID!) {
             first: addKeyResult(input: {objectiveId: $o, title: "Members renew at 90%",
               metric: STAY_ABOVE, start: 85, target: 90, unit: "PERCENT"}) {
               keyResult { objective { keyResults { title } } } }
             second: addKeyResult(input: {objectiveId: $o, title: "Churn stays below 5%",
               metric: STAY_BELOW, start: 6, target: 5, unit: "PERCENT"}) {
               keyResult { objective { keyResults { title } } } } }""",
        {"o": ids["upgrade"]},
    )

    seen = [k["title"] for k in data["second"]["keyResult"]["objective"]["keyResults"]]
    assert {"Members renew at 90%", "Churn stays below 5%"} <= set(seen)


def test_admins_manage_people_and_teams_over_time(server: Server) -> None:
    api = server.client()
    team = api.data('mutation { createTeam(input: {name: "Support"}) { team { id } } }')
    person = api.data('mutation { registerPerson(input: {name: "Ida"}) { person { id } } }')
    ids = {"t": team["createTeam"]["team"]["id"], "p": person["registerPerson"]["person"]["id"]}
    membership = """mutation($t: ID!, $p: ID!) { %s(input: {teamId: $t, personId: $p}) {
        team { members { name } memberships { person { name } leftAt } } userErrors { code } } }"""

    added = api.data(membership % "addTeamMember", ids)["addTeamMember"]
    again = api.data(membership % "addTeamMember", ids)["addTeamMember"]
    removed = api.data(membership % "removeTeamMember", ids)["removeTeamMember"]

    assert added["team"]["members"] == [{"name": "Ida"}]
    assert again["userErrors"] == [{"code": "INVALID_INPUT"}]
    assert removed["team"]["members"] == []
    (stretch,) = removed["team"]["memberships"]
    assert stretch["person"] == {"name": "Ida"}
    assert stretch["leftAt"] is not None


def test_node_fetches_initiatives_recognition_and_tokens_for_admins(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    initiative = api.data(
        "query($id: ID!) { objective(id: $id) { initiatives { id } } }", {"id": ids["upgrade"]}
    )["objective"]["initiatives"][0]["id"]
    token = api.data("{ apiTokens { id } }")["apiTokens"][0]["id"]
    node = "query($id: ID!) { node(id: $id) { __typename id } }"

    assert api.data(node, {"id": initiative})["node"]["__typename"] == "Initiative"
    assert api.data(node, {"id": token})["node"]["__typename"] == "ApiToken"
    viewer = server.client(token_for(server, "VIEWER", ids["lead"]))
    assert viewer.data(node, {"id": token})["node"] is None
    assert viewer.data(node, {"id": initiative})["node"]["id"] == initiative


def test_an_objective_lives_its_whole_lifecycle_over_the_api(server: Server) -> None:
    ids = demo_ids(server)
    api = server.client()
    created = api.data(
        """mutation($p: ID!, $l: ID!, $t: ID!) { createObjective(input: {title: "Faster refunds",
             kind: EXECUTABLE, level: TEAM, periodId: $p, leadId: $l, teamIds: [$t]}) {
             objective { id status } userErrors { code } } }""",
        {"p": ids["period"], "l": ids["lead"], "t": ids["team"]},
    )["createObjective"]
    objective = created["objective"]["id"]
    step = """mutation($o: ID!) { %s { objective { status contributors { id } score } } }"""
    lead = ids["lead"]

    def run(call: str) -> dict[str, Any]:
        data = api.data(step % call, {"o": objective})
        payload: dict[str, Any] = next(iter(data.values()))
        changed: dict[str, Any] = payload["objective"]
        return changed

    assert created["objective"]["status"] == "DRAFT"
    added = run(f'addContributor(input: {{objectiveId: $o, personId: "{lead}"}})')
    assert added["contributors"] == [{"id": lead}]
    removed = run(f'removeContributor(input: {{objectiveId: $o, personId: "{lead}"}})')
    assert removed["contributors"] == []
    assert run("activateObjective(input: {objectiveId: $o})")["status"] == "ACTIVE"
    closed = run('closeObjective(input: {objectiveId: $o, score: 0.7, retrospective: "ok"})')
    assert (closed["status"], closed["score"]) == ("CLOSED", 0.7)
    assert run('reopenObjective(input: {objectiveId: $o, reason: "regraded"})')["status"] == (
        "ACTIVE"
    )
    assert run("archiveObjective(input: {objectiveId: $o})")["status"] == "ARCHIVED"


def test_progress_is_shown_rounded_and_the_unclamped_figure_as_computed(server: Server) -> None:
    data = server.client().data(
        "{ objectives(filter: {level: TEAM}, first: 10) { nodes { title progress "
        "keyResults { title progress progressUnclamped } } } }"
    )

    (search,) = [o for o in data["objectives"]["nodes"] if o["title"].startswith("Improve search")]
    click_through = search["keyResults"][0]
    assert click_through == {
        "title": "Search click-through rises from 40% to 50%",
        "progress": 0.84,
        "progressUnclamped": 0.8399999999999999,
    }
    assert search["progress"] == 0.845
