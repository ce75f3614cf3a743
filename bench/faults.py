"""A running server's database connections, cut from the database's side."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg

from bench import databases
from okr.infra.event_store import DatabaseUrl

CONNECT_SECONDS = 30.0
TERMINATE = """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
  WHERE datname = %s AND pid <> pg_backend_pid() AND client_port = ANY(%s)"""


def socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def local_ports(pid: int) -> list[int]:
    """The local TCP ports of process `pid`'s sockets (its ends of its database connections
    among them)."""
    inodes = socket_inodes(pid)
    ports = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.append(int(fields[1].rpartition(":")[2], 16))
    return ports


def terminate_connections(url: DatabaseUrl, pid: int) -> int:
    """`pg_terminate_backend` for every connection process `pid` holds to `url`'s database
    (and no other: the harness's own stay up); how many there were."""
    with admin_connection() as conn:
        found = conn.execute(TERMINATE, (databases.dbname(url), local_ports(pid))).fetchone()
    return found[0] if found else 0


def admin_connection() -> psycopg.Connection[tuple[int]]:
    """A connection to the admin database, waiting out a server that has no slot free (other
    processes on the machine may hold them all for a while)."""
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return psycopg.connect(databases.ADMIN_URL, autocommit=True)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
