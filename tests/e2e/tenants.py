"""A second organization and tokens for any role, made as a user would: CLI and API."""

from __future__ import annotations

import re

from tests.e2e.cli import okr
from tests.e2e.server import Server


def second_organization(server: Server, name: str = "Globex") -> str:
    """A new organization's admin token, issued through `okr organization` and `okr token`."""
    created = okr("organization", "create", name, url=server.url)
    assert created.returncode == 0, created.stderr
    organization = created.stdout.strip().rsplit(" ", 1)[1]
    issued = okr(
        "token",
        "create",
        "--organization",
        organization,
        "--role",
        "ADMIN",
        "--name",
        f"{name} admin",
        url=server.url,
    )
    assert issued.returncode == 0, issued.stderr
    token = re.search(r"^(okr_\S+)$", issued.stdout, re.MULTILINE)
    assert token, issued.stdout
    return token.group(1)


def token_for(server: Server, role: str, person: str | None = None) -> str:
    """A token of `role` in the demo organization, issued by its admin through the API."""
    data = server.client().data(
        """mutation($role: Role!, $person: ID) { issueApiToken(input: {name: "test",
             role: $role, personId: $person}) { secret userErrors { code message } } }""",
        {"role": role, "person": person},
    )
    assert data["issueApiToken"]["userErrors"] == []
    secret: str = data["issueApiToken"]["secret"]
    return secret
