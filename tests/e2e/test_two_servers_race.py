"""Two `okr serve` processes on one PostgreSQL database, driven over HTTP at the same moment:
cross-alignments never make a cycle, a check-in never lands after its period's close, and
`okr check` finds nothing wrong in the log they wrote."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from okr.infra.event_store import DatabaseUrl
from tests import postgres
from tests.concurrency import race
from tests.e2e.cli import okr
from tests.e2e.server import Api, Server, serve

pytestmark = pytest.mark.postgres

ROUNDS = 50
RESULT = "objective { id } userErrors { code }"
ALIGN = "alignObjective"
SHARED_INPUTS = {"activateObjective": "ObjectiveInput", "closePeriod": "PeriodInput"}


@pytest.fixture(scope="module")
def servers(
    postgres_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    folder: Path = tmp_path_factory.mktemp("two-servers")
    with postgres.throwaway_schema(postgres_database) as schema:
        url = DatabaseUrl(f"{postgres_database}?schema={schema}")
        with serve(url, folder / "one.log") as one, serve(url, folder / "two.log") as two:
            # The second start's demo token replaced (revoked) the first's.
            one.token = two.token
            yield one, two


def mutate(api: Api, mutation: str, payload: str, /, **input: Any) -> dict[str, Any]:
    """Send `mutation` with `input`; its payload."""
    input_type = SHARED_INPUTS.get(mutation, f"{mutation[0].upper()}{mutation[1:]}Input")
    data = api.data(
        f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {payload} }} }}",
        {"input": input},
    )
    result: dict[str, Any] = data[mutation]
    return result


class Round:
    """A fresh quarter with two active objectives, each with one key result."""

    def __init__(self, api: Api, lead: str, n: int, name: str) -> None:
        period = mutate(
            api,
            "createPeriod",
            "period { id } userErrors { code }",
            name=f"{name} {n}",
            startsOn="2026-10-01",
            endsOn="2026-12-31",
        )
        self.period = period["period"]["id"]
        self.objectives, self.key_results = [], []
        for title in ("Ship calmly", "Sleep at night"):
            objective = mutate(
                api,
                "createObjective",
                RESULT,
                title=f"{title} {n}",
                kind="EXECUTABLE",
                level="COMPANY",
                periodId=self.period,
                leadId=lead,
            )["objective"]["id"]
            key_result = mutate(
                api,
                "addKeyResult",
                "keyResult { id } userErrors { code }",
                objectiveId=objective,
                title=f"Pages per week fall, {title}",
                metric="DECREASE_TO",
                start=10,
                target=2,
            )["keyResult"]["id"]
            mutate(api, "activateObjective", RESULT, objectiveId=objective)
            self.objectives.append(objective)
            self.key_results.append(key_result)


def assert_log_keeps_every_rule(server: Server) -> None:
    """`okr check` re-validates every rule over the whole log the servers wrote."""
    checked = okr("check", url=server.url)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture(scope="module")
def lead(servers: tuple[Server, Server]) -> str:
    people = servers[0].client().data("{ people { id } }")["people"]
    return str(people[0]["id"])


def test_cross_alignments_through_two_servers_never_make_a_cycle(
    servers: tuple[Server, Server], lead: str
) -> None:
    one, two = servers[0].client(), servers[1].client()
    codes: list[str] = []
    for n in range(ROUNDS):
        arranged = Round(one, lead, n, "Align race")
        a, b = arranged.objectives
        a_kr, b_kr = arranged.key_results

        outcomes = race(
            [
                partial(mutate, one, ALIGN, RESULT, objectiveId=a, parentKeyResultId=b_kr),
                partial(mutate, two, ALIGN, RESULT, objectiveId=b, parentKeyResultId=a_kr),
            ]
        )

        assert all(isinstance(o, dict) for o in outcomes), outcomes
        errors = [e["code"] for o in outcomes if isinstance(o, dict) for e in o["userErrors"]]
        assert len(errors) == 1, outcomes
        codes.extend(errors)
        for objective in (a, b):
            chain = one.data(
                "query($id: ID!) { objective(id: $id) { ancestors { id } } }", {"id": objective}
            )["objective"]["ancestors"]
            assert objective not in [o["id"] for o in chain]
    assert set(codes) == {"ALIGNMENT_CYCLE"}
    assert_log_keeps_every_rule(servers[0])


def test_a_check_in_through_one_server_never_follows_a_close_through_the_other(
    servers: tuple[Server, Server], lead: str
) -> None:
    one, two = servers[0].client(), servers[1].client()
    for n in range(ROUNDS):
        arranged = Round(one, lead, n, "Close race")
        key_result = arranged.key_results[0]
        check_in = {
            "keyResultId": key_result,
            "value": 6,
            "confidence": 7,
            "effectiveAt": "2026-10-05T08:00:00Z",
        }
        mutate(one, "recordCheckIn", "checkIn { id } userErrors { code }", **check_in)

        outcomes = race(
            [
                partial(mutate, one, "recordCheckIn", "userErrors { code }", **check_in),
                partial(
                    mutate, two, "closePeriod", "userErrors { code }", periodId=arranged.period
                ),
            ]
        )

        checked_in, closed = outcomes
        assert closed == {"userErrors": []}, outcomes
        assert isinstance(checked_in, dict), outcomes
        assert checked_in["userErrors"] in ([], [{"code": "PERIOD_CLOSED"}]), outcomes
    assert_log_keeps_every_rule(servers[0])
