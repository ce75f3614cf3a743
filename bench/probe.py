"""A normal query sent on a fixed schedule from a process of its own, so that the load the
harness makes in its own event loop does not show in the latency it measures.

`python -m bench.probe URL SECONDS INTERVAL WARM_UP`, with the token in
OKR_BENCH_PROBE_TOKEN, prints the `Probe` as JSON."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

NORMAL_QUERY = "{ objectives(first: 10) { nodes { id title } } }"
TIMEOUT_SECONDS = 10.0
TOKEN_VARIABLE = "OKR_BENCH_PROBE_TOKEN"


@dataclass
class Probe:
    """Latencies, in seconds, of the queries answered with data; what the others got, and
    after how long."""

    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    failed_after: list[float] = field(default_factory=list)

    def fail(self, why: str, started: float) -> None:
        self.failures[why] += 1
        self.failed_after.append(time.perf_counter() - started)

    def as_json(self) -> str:
        return json.dumps([self.latencies, self.failures, self.failed_after])

    @classmethod
    def of_json(cls, text: str | bytes) -> Probe:
        latencies, failures, failed_after = json.loads(text)
        return cls(latencies, Counter(failures), failed_after)


def probe(url: str, token: str, seconds: float, interval: float, warm_up: int) -> Probe:
    """Send `NORMAL_QUERY` every `interval` seconds (or as soon as the last is answered, if
    later) for `seconds`, after `warm_up` unrecorded ones (blocking)."""
    found = Probe()
    headers = {"authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=TIMEOUT_SECONDS) as http:
        for _ in range(warm_up):
            with contextlib.suppress(httpx.TransportError):
                http.post(url, json={"query": NORMAL_QUERY})
        slot = time.perf_counter()
        ends = slot + seconds
        while slot < ends:
            time.sleep(max(0.0, slot - time.perf_counter()))
            started = time.perf_counter()
            slot = max(slot + interval, started)
            try:
                response = http.post(url, json={"query": NORMAL_QUERY})
            except httpx.TransportError as error:
                found.fail(type(error).__name__, started)
                continue
            if response.status_code == 200 and "errors" not in response.json():
                found.latencies.append(time.perf_counter() - started)
            else:
                found.fail(f"HTTP {response.status_code}", started)
    return found


async def probe_elsewhere(
    url: str, token: str, seconds: float, interval: float, warm_up: int = 0
) -> Probe:
    """`probe` in a process of its own."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.probe",
        url,
        str(seconds),
        str(interval),
        str(warm_up),
        env=os.environ | {TOKEN_VARIABLE: token},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        output, _ = await child.communicate()
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    if child.returncode != 0:
        raise RuntimeError(f"the probe failed with exit code {child.returncode}")
    return Probe.of_json(output)


if __name__ == "__main__":
    url, seconds, interval, warm_up = sys.argv[1], *map(float, sys.argv[2:4]), int(sys.argv[4])
    print(probe(url, os.environ[TOKEN_VARIABLE], seconds, interval, warm_up).as_json())
