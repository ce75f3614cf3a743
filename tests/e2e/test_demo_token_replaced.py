"""`okr serve --demo` prints a fresh admin token on every start, and that token replaces the
one the previous start printed: the old one stops working, the log records its revocation,
and tokens not issued for the demo are left alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from okr.demo import DEMO_ORGANIZATION_ID
from okr.infra.event_store import DatabaseUrl
from tests.e2e.cli import okr
from tests.e2e.server import serve

READ = "{ organization { name } }"
SUNSHINE = {"organization": {"name": "Sunshine"}}


def test_each_demo_start_revokes_the_previous_demo_token(
    database_url: DatabaseUrl, tmp_path: Path
) -> None:
    demo = str(DEMO_ORGANIZATION_ID)
    with serve(database_url, tmp_path / "first.log") as first:
        assert first.client().data(READ) == SUNSHINE
        ops = okr(
            "token",
            "create",
            "--organization",
            demo,
            "--role",
            "ADMIN",
            "--name",
            "ops",
            url=database_url,
        )
        assert ops.returncode == 0, ops.stderr
    ops_secret = ops.stdout.splitlines()[-1]

    with serve(database_url, tmp_path / "second.log") as second:
        assert second.token != first.token
        assert second.client().data(READ) == SUNSHINE
        refused = second.client(first.token).run(READ)
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert second.client(ops_secret).data(READ) == SUNSHINE

    listed = okr("token", "list", "--organization", demo, url=database_url).stdout
    demo_tokens = re.findall(r"^(\S+)  ADMIN +demo admin .*, (active|revoked)", listed, re.M)
    assert [state for _, state in demo_tokens] == ["revoked", "active"]
    exported = okr("export", "--organization", demo, url=database_url).stdout
    revocations = [
        (line["aggregate_id"], line["actor"])
        for line in map(json.loads, exported.splitlines())
        if line["type"] == "ApiToken.Revoked"
    ]
    assert revocations == [(demo_tokens[0][0], "system:demo")]
