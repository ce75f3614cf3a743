"""The server's own figures from `GET /metrics` (Prometheus text), when it publishes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from bench.server import Server
from bench.wire import bearer

METRICS_TOKEN = "bench-metrics-token"
ENVIRONMENT = {"OKR_METRICS_TOKEN": METRICS_TOKEN}
"""What a server needs in its environment to publish its metrics to `scrape`."""
LAG_MAX = "okr_event_loop_lag_max_seconds"
LAG_BUCKET = "okr_event_loop_lag_seconds_bucket"
SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][\w:]*)(?:\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Sample:
    name: str
    labels: dict[str, str]
    value: float


@dataclass(frozen=True)
class Metrics:
    """One scrape."""

    samples: list[Sample]

    def value(self, name: str) -> float | None:
        return next((s.value for s in self.samples if s.name == name and not s.labels), None)

    @property
    def loop_lag_max_seconds(self) -> float | None:
        """The longest event-loop pause since the server started."""
        return self.value(LAG_MAX)

    def loop_pauses_over(self, seconds: float) -> int | None:
        """How many event-loop lag samples were longer than `seconds`, if a bucket ends there."""
        buckets = {float(s.labels["le"]): s.value for s in self.samples if s.name == LAG_BUCKET}
        if seconds not in buckets or float("inf") not in buckets:
            return None
        return round(buckets[float("inf")] - buckets[seconds])


def parse(text: str) -> Metrics:
    samples = []
    for line in text.splitlines():
        found = None if line.startswith("#") else SAMPLE.match(line)
        if found:
            labels = dict(LABEL.findall(found["labels"] or ""))
            samples.append(Sample(found["name"], labels, float(found["value"])))
    return Metrics(samples)


async def scrape(http: httpx.AsyncClient, server: Server) -> Metrics | None:
    """The server's metrics now; None if it does not publish them (404) or cannot answer."""
    try:
        response = await http.get(f"{server.base}/metrics", headers=bearer(METRICS_TOKEN))
    except httpx.TransportError:
        return None
    if response.status_code != 200:
        return None
    return parse(response.text)
