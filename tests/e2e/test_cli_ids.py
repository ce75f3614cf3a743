"""Ids on the `okr` command line in either form the API shows them: the UUID, or the
GraphQL global id."""

from __future__ import annotations

import json
from uuid import UUID

from okr.bootstrap import open_application
from okr.domain.commands import RegisterPerson
from okr.graphql.ids import global_id
from okr.infra.event_store import DatabaseUrl
from okr.services.context import Context
from tests.e2e.cli import okr


def acme_with_ada(url: DatabaseUrl) -> tuple[UUID, UUID]:
    """Acme and its one person, Ada, beside another organization, Globex."""
    app = open_application(url)
    try:
        acme = app.create_organization("test:setup", "Acme").id
        ada = app.handle(Context(acme, "test:setup"), RegisterPerson("Ada", "ada@acme.example"))
        app.create_organization("test:setup", "Globex")
    finally:
        app.close()
    return acme, ada.id


def test_export_takes_an_organization_by_either_id(database_url: DatabaseUrl) -> None:
    acme, _ = acme_with_ada(database_url)

    by_uuid = okr("export", "--organization", str(acme), url=database_url)
    by_global_id = okr(
        "export", "--organization", global_id("Organization", acme), url=database_url
    )

    assert (by_uuid.returncode, by_global_id.returncode) == (0, 0), by_global_id.stderr
    lines = [json.loads(line) for line in by_uuid.stdout.splitlines()]
    assert [(line["type"], line["organization_id"]) for line in lines] == [
        ("Organization.Created", str(acme)),
        ("Person.Registered", str(acme)),
    ]
    assert by_global_id.stdout == by_uuid.stdout


def test_token_commands_take_every_id_by_either_form(database_url: DatabaseUrl) -> None:
    acme, ada = acme_with_ada(database_url)
    acme_global_id = global_id("Organization", acme)

    issued = okr(
        "token",
        "create",
        "--organization",
        acme_global_id,
        "--role",
        "MEMBER",
        "--name",
        "Ada's laptop",
        "--person",
        global_id("Person", ada),
        url=database_url,
    )
    assert issued.returncode == 0, issued.stderr
    token_id = UUID(issued.stdout.split()[1])
    listed = okr("token", "list", "--organization", acme_global_id, url=database_url)
    assert listed.stdout == f"{token_id}  MEMBER      Ada's laptop  (person:{ada}, active)\n"

    revoked = okr(
        "token",
        "revoke",
        global_id("ApiToken", token_id),
        "--organization",
        str(acme),
        url=database_url,
    )

    assert (revoked.returncode, revoked.stdout) == (0, f"Revoked token {token_id}\n")
    after = okr("token", "list", "--organization", str(acme), url=database_url)
    assert after.stdout.startswith(f"{token_id}  MEMBER      Ada's laptop  (person:{ada}, revoked ")
