"""A real `okr serve` process on a free port, and an HTTP GraphQL client for it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl

TOKEN = re.compile(r"Demo token \(ADMIN, organization Sunshine\): (okr_\S+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server: its address, its store and the demo admin's token."""

    base: str
    ws: str
    url: DatabaseUrl
    token: str
    log: Path

    def client(self, token: str | None = None) -> Api:
        return Api(self.base, self.token if token is None else token)


FUNCTIONAL_LIMITS = {"OKR_MAX_COST_PER_SECOND": "1000000"}
"""A test sends in a second what a person would over minutes: the servers of functional
tests let a token spend more than the default; the tests of the limits set their own."""


@contextmanager
def serve(
    url: DatabaseUrl, log: Path, *extra: str, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """`okr serve --demo` until the block ends, with FUNCTIONAL_LIMITS and `env` added to its
    environment; waits until /readyz reports no lag."""
    port = free_port()
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "okr", "serve", "--demo", "--port", str(port), *extra],
            env=os.environ | {"OKR_DATABASE_URL": url.url} | FUNCTIONAL_LIMITS | dict(env or {}),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            assert process.stdout is not None
            token = None
            for line in process.stdout:
                found = TOKEN.search(line)
                if found:
                    token = found.group(1)
                    break
            assert token, log.read_text()
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    ready = httpx.get(f"{base}/readyz")
                    if ready.status_code == 200 and ready.json()["lag"] == 0:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            yield Server(base, f"ws://127.0.0.1:{port}/graphql", url, token, log)
        finally:
            process.terminate()
            process.wait(timeout=30)
            if process.stdout is not None:
                process.stdout.close()


@contextmanager
def serve_sqlite(folder: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """`serve` on a new SQLite file in `folder`, with `env` added to its environment."""
    with serve(
        DatabaseUrl(f"sqlite:///{folder / 'okr.sqlite'}"), folder / "server.log", env=env
    ) as up:
        yield up


class Api:
    """POSTs GraphQL documents with a bearer token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token

    def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=30,
        )

    def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The response body of a request that must succeed at the HTTP level."""
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of a request that must not produce errors."""
        body = self.run(query, variables)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


def stored_events(url: DatabaseUrl) -> int:
    """How many events the event store holds, read directly."""
    app = open_application(url)
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()
