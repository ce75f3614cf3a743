"""`okr serve`: the GraphQL server, run by uvicorn."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

import uvicorn

from okr.bootstrap import open_application
from okr.demo import DEMO_ORGANIZATION_ID, demo_exists, load_demo
from okr.domain.api_token import Role
from okr.infra.event_store import DatabaseUrl
from okr.server import Settings, create_app
from okr.services.context import Context


def prepare_demo(url: DatabaseUrl) -> str:
    """Load the demo on first start, and issue a fresh admin token for it."""
    app = open_application(url)
    try:
        if not demo_exists(app):
            load_demo(app)
            print("Loaded the demo organization Sunshine.")
        issued = app.issue_token(
            Context(DEMO_ORGANIZATION_ID, "system:demo"), "demo admin", Role.ADMIN
        )
        return issued.secret
    finally:
        app.close()


def run(
    url: DatabaseUrl,
    host: str,
    port: int,
    *,
    demo: bool,
    dev: bool,
    allowed_origins: Sequence[str],
) -> int:
    if demo:
        token = prepare_demo(url)
        print(f"Demo token (ADMIN, organization Sunshine): {token}")
        print(f'Use it as:  -H "Authorization: Bearer {token}"')
        sys.stdout.flush()
    settings = Settings(url, dev=dev, allowed_origins=allowed_origins)
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_level="info")
    asyncio.run(uvicorn.Server(config).serve())
    return 0
