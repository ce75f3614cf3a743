"""Runs the `okr` command as a user would, against a given store."""

from __future__ import annotations

import os
import subprocess
import sys

from okr.infra.event_store import DatabaseUrl


def okr(*args: str, url: DatabaseUrl, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"OKR_DATABASE_URL": url.url}
    return subprocess.run(
        [sys.executable, "-m", "okr", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def okr_process(*args: str, url: DatabaseUrl) -> subprocess.Popen[str]:
    """`okr` running in the background; the caller stops it."""
    env = os.environ | {"OKR_DATABASE_URL": url.url}
    return subprocess.Popen(
        [sys.executable, "-m", "okr", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
