"""A real `okr serve` process on a free port, for the HTTP and WebSocket measurements."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from okr.infra.event_store import DatabaseUrl

READY_SECONDS = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running server: where to reach it and its process id (for its memory)."""

    base: str
    ws: str
    pid: int

    @property
    def graphql(self) -> str:
        return f"{self.base}/graphql"

    def rss_mib(self) -> float:
        """The server process's resident memory now."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line")


@contextmanager
def serve(url: DatabaseUrl, log: Path) -> Iterator[Server]:
    """`okr serve` on `url` until the block ends; waits until the views have caught up."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "okr", "serve", "--port", str(port)],
            env=os.environ | {"OKR_DATABASE_URL": url.url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + READY_SECONDS
            while not _ready(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"okr serve did not become ready; see {log}")
                time.sleep(0.2)
            yield Server(base, f"ws://127.0.0.1:{port}/graphql", process.pid)
        finally:
            process.terminate()
            process.wait(timeout=60)


def _ready(base: str) -> bool:
    try:
        ready = httpx.get(f"{base}/readyz")
    except httpx.TransportError:
        return False
    return ready.status_code == 200 and ready.json()["lag"] == 0
