"""`okr serve`: the GraphQL server, run by uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from collections.abc import Sequence
from uuid import UUID

import uvicorn

from okr.bootstrap import open_runtime
from okr.demo import DEMO_ORGANIZATION_ID, demo_exists, load_demo
from okr.domain.api_token import Role
from okr.domain.commands import RevokeApiToken
from okr.domain.errors import InvalidTransition
from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.server import Settings, create_app
from okr.services.context import Context
from okr.services.tokens import issue_token
from okr.views.tokens import every_api_token

DEMO_ADMIN_NAME = "demo admin"


async def prepare_demo(url: DatabaseUrl) -> str:
    """Load the demo on first start and issue a fresh admin token for it, which replaces
    (revokes) the one an earlier start issued; the views are brought up to date first, so
    the printed token works at once."""
    runtime = await open_runtime(url)
    try:
        app = runtime.app
        if not await asyncio.to_thread(demo_exists, app):
            await asyncio.to_thread(load_demo, app)
            print("Loaded the demo organization Sunshine.")
        context = Context(DEMO_ORGANIZATION_ID, "system:demo")
        await runtime.runner.catch_up()
        earlier = [
            UUID(row["id"])
            for row in await every_api_token(runtime.store, str(DEMO_ORGANIZATION_ID))
            if (row["name"], row["role"], row["revoked_at"]) == (DEMO_ADMIN_NAME, Role.ADMIN, None)
        ]
        issued = await asyncio.to_thread(issue_token, app, context, DEMO_ADMIN_NAME, Role.ADMIN)
        for token_id in earlier:
            # Another start may have revoked it since the views were read.
            with contextlib.suppress(InvalidTransition):
                await asyncio.to_thread(app.handle, context, RevokeApiToken(token_id))
        if earlier:
            print("Revoked the previous demo token.")
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
    freeze_startup_objects()
    asyncio.run(uvicorn.Server(config).serve())
    return 0


def freeze_startup_objects() -> None:
    """Leave what startup made (modules, the schema) out of every garbage collection, so a
    full one walks only what serving holds. The thresholds stay Python's: raised, the young
    generations let garbage cycles age into the old one, which grows until a full collection
    stops the event loop for as long as it takes to walk it all."""
    gc.collect()
    gc.freeze()
