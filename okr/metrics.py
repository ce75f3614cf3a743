"""The server's Prometheus metrics, served at /metrics only to holders of the metrics token
(OKR_METRICS_TOKEN); without one set, /metrics is not found. Among them: how late the event
loop runs its timers (a stall delays every request and every subscriber), how long garbage
collections take, and the process's memory."""

from __future__ import annotations

import asyncio
import gc
import hmac
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from okr.graphql.auth import bearer

PAUSES = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
TICK_SECONDS = 0.02

LOOP_LAG = Histogram(
    "okr_event_loop_lag_seconds",
    "How late the event loop ran a timer: the length of the stall that held it up.",
    buckets=PAUSES,
)
LOOP_LAG_MAX = Gauge(
    "okr_event_loop_lag_max_seconds", "The longest event-loop stall since the process started."
)
GC_PAUSE = Histogram(
    "okr_gc_pause_seconds",
    "How long each garbage collection stopped the process, by generation.",
    ["generation"],
    buckets=PAUSES,
)


async def watch_event_loop(tick: float = TICK_SECONDS) -> None:
    """Sleeps `tick` over and over, recording how late each wake-up is; runs until cancelled."""
    loop = asyncio.get_running_loop()
    longest = 0.0
    while True:
        asked = loop.time()
        await asyncio.sleep(tick)
        late = max(loop.time() - asked - tick, 0.0)
        LOOP_LAG.observe(late)
        if late > longest:
            longest = late
            LOOP_LAG_MAX.set(late)


class CollectionTimer:
    """Times each garbage collection through `gc.callbacks` while installed."""

    def __init__(self) -> None:
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            pause = time.perf_counter() - self._started
            GC_PAUSE.labels(str(info["generation"])).observe(pause)

    def __enter__(self) -> CollectionTimer:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)


def metrics_endpoint(token: str | None) -> Any:
    """The /metrics handler: the Prometheus text for a request bearing `token`; 404 when no
    token is set, 401 for any other request."""

    async def metrics(request: Request) -> Response:
        if token is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        given = bearer(request.headers.get("authorization")) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse(
                {"error": "a metrics token is required"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return metrics
