"""`okr serve`: the GraphQL server, run by uvicorn."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Sequence

import uvicorn

from okr.bootstrap import open_runtime
from okr.demo import DEMO_ORGANIZATION_ID, demo_exists, load_demo
from okr.domain.api_token import Role
from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.server import Settings, create_app
from okr.services.context import Context
from okr.services.tokens import issue_token

GC_THRESHOLDS = (50_000, 20, 10)


async def prepare_demo(url: DatabaseUrl) -> str:
    """Load the demo on first start and issue a fresh admin token for it; the views are
    brought up to date first, so the printed token works at once."""
    runtime = await open_runtime(url)
    try:
        app = runtime.app
        if not await asyncio.to_thread(demo_exists, app):
            await asyncio.to_thread(load_demo, app)
            print("Loaded the demo organization Sunshine.")
        issued = await asyncio.to_thread(
            issue_token,
            app,
            Context(DEMO_ORGANIZATION_ID, "system:demo"),
            "demo admin",
            Role.ADMIN,
        )
        await runtime.runner.catch_up()
        return issued.secret
    finally:
        await runtime.close()


def run(
    url: DatabaseUrl,
    host: str,
    port: int,
    *,
    demo: bool,
    dev: bool,
    allowed_origins: Sequence[str],
) -> int:
    try:
        settings = Settings.from_environ(url, dev=dev, allowed_origins=allowed_origins)
    except ConfigurationError as error:
        print(f"okr: {error}", file=sys.stderr)
        return 2
    if demo:
        token = asyncio.run(prepare_demo(url))
        print(f"Demo token (ADMIN, organization Sunshine): {token}")
        print(f'Use it as:  -H "Authorization: Bearer {token}"')
        sys.stdout.flush()
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        # A compressor per connection costs ~50 KB; event frames are under a kilobyte.
        ws_per_message_deflate=False,
        # Bigger messages are refused before they are read whole (the app closes with 1009).
        ws_max_size=settings.max_body_bytes + 1,
    )
    quiet_collector()
    asyncio.run(uvicorn.Server(config).serve())
    return 0


def quiet_collector() -> None:
    """Keep full garbage collections rare and short: with many subscribers each pass walks
    every connection's objects and stalls delivery. What startup made is frozen out of them."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
