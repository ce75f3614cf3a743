"""A real `okr serve` process, for the HTTP and WebSocket measurements."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from okr.infra.event_store import DatabaseUrl

READY_SECONDS = 600
STOP_SECONDS = 60
UNTHROTTLED = {
    "OKR_RATE_LIMIT_PER_SECOND": "1000000",
    "OKR_MAX_COST_PER_SECOND": "1000000000",
    "OKR_MAX_OPERATIONS_PER_TOKEN": "1000000",
    "OKR_MAX_SOCKETS_PER_TOKEN": "1000000",
    "OKR_MAX_SOCKETS_PER_ADDRESS": "1000000",
}
"""The limits per token and per address raised out of the way of a measurement's own
traffic, which comes from one address with a few tokens."""


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


class ServerProcess:
    """`okr serve` on `url` and a free port, with `environment` added to this process's; it
    can be killed and started again on the same port. Its output goes to `log`."""

    def __init__(
        self, url: DatabaseUrl, log: Path, environment: Mapping[str, str] | None = None
    ) -> None:
        self.url = url
        self.log = log
        self.environment = dict(environment or {})
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        log.write_text("")

    def start(self) -> Server:
        """Start the server and wait until its views have caught up (blocking)."""
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "okr", "serve", "--port", str(self.port)],
                env=os.environ | self.environment | {"OKR_DATABASE_URL": self.url.url},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + READY_SECONDS
        while not ready(base):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"okr serve did not become ready; see {self.log}")
            time.sleep(0.2)
        return Server(base, f"ws://127.0.0.1:{self.port}/graphql", self.process.pid)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no goodbyes to clients or the database."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if the server has not stopped after STOP_SECONDS."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            print(f"  okr serve ignored SIGTERM for {STOP_SECONDS} s; killed (see {self.log})")
            self.kill()


@contextmanager
def serve(
    url: DatabaseUrl, log: Path, environment: Mapping[str, str] = UNTHROTTLED
) -> Iterator[Server]:
    """`okr serve` on `url` until the block ends; waits until the views have caught up.
    Unless told otherwise, the server does not throttle the measurement's own traffic."""
    process = ServerProcess(url, log, environment)
    try:
        yield process.start()
    finally:
        process.stop()


def ready(base: str) -> bool:
    """Whether the server at `base` answers and its views have caught up (blocking)."""
    try:
        answer = httpx.get(f"{base}/readyz")
    except httpx.TransportError:
        return False
    return answer.status_code == 200 and answer.json()["lag"] == 0
