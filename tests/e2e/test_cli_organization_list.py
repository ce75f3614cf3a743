"""`okr organization list`: an operator sees every organization in the store."""

from __future__ import annotations

from okr.infra.event_store import DatabaseUrl
from tests.e2e.cli import okr


def test_organization_list_prints_each_id_and_name_in_the_order_created(
    database_url: DatabaseUrl,
) -> None:
    empty = okr("organization", "list", url=database_url)
    assert (empty.returncode, empty.stdout) == (0, ""), empty.stderr
    ids = []
    for name in ("Acme", "Globex"):
        created = okr("organization", "create", name, url=database_url)
        assert created.returncode == 0, created.stderr
        ids.append(created.stdout.strip().rsplit(" ", 1)[1])

    listed = okr("organization", "list", url=database_url)

    assert (listed.returncode, listed.stdout) == (0, f"{ids[0]}  Acme\n{ids[1]}  Globex\n")
