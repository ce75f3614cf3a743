"""/metrics on a real server: hidden unless a metrics token is set, then only for that token;
it reports the event loop's stalls, garbage collections and the process's memory."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.server import Server, serve_sqlite

SECRET = "metrics-secret-for-tests"


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve_sqlite(tmp_path_factory.mktemp("watched"), {"OKR_METRICS_TOKEN": SECRET}) as up:
        yield up


@pytest.fixture(scope="module")
def unwatched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve_sqlite(tmp_path_factory.mktemp("unwatched")) as up:
        yield up


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_without_a_metrics_token_set_there_are_no_metrics(unwatched: Server) -> None:
    answer = httpx.get(f"{unwatched.base}/metrics", headers={"Authorization": "Bearer x"})

    assert answer.status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", f"Bearer {SECRET}x", SECRET, "Basic bWV0cmljczpzZWNyZXQ="],
)
def test_metrics_need_the_metrics_token(watched: Server, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}

    answer = httpx.get(f"{watched.base}/metrics", headers=headers)

    assert answer.status_code == 401
    assert SECRET not in answer.text
    assert "okr_" not in answer.text


def test_an_api_token_is_not_a_metrics_token(watched: Server) -> None:
    answer = httpx.get(
        f"{watched.base}/metrics", headers={"Authorization": f"Bearer {watched.token}"}
    )

    assert answer.status_code == 401


def test_metrics_report_the_event_loop_collections_and_memory(watched: Server) -> None:
    api = watched.client()
    for _ in range(30):
        api.data("{ objectives(first: 20) { nodes { title keyResults { title } } } }")

    answer = httpx.get(f"{watched.base}/metrics", headers={"Authorization": f"Bearer {SECRET}"})

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found = samples(answer.text)
    assert found[("okr_event_loop_lag_seconds_count", ())] > 10
    assert found[("okr_event_loop_lag_max_seconds", ())] >= 0
    assert found[("process_resident_memory_bytes", ())] > 10 * 2**20
    collections = [v for (name, _), v in found.items() if name == "okr_gc_pause_seconds_count"]
    assert sum(collections) > 0
