"""Issuing and revoking API tokens; the secret is shown once and only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from uuid import UUID

from okr.domain import commands as c
from okr.domain.api_token import ApiToken, Role
from okr.domain.errors import InvalidInput
from okr.domain.organization import Person
from okr.services.command_application import CommandApplication
from okr.services.context import CommandResult, Context
from okr.services.unit_of_work import UnitOfWork

TOKEN_PREFIX = "okr_"  # noqa: S105 (a prefix that marks okr tokens, not a secret)


TOKEN_LENGTH = len(TOKEN_PREFIX) + 43
PERSONAL_ROLES = (Role.MEMBER, Role.VIEWER)


def hash_secret(secret: str) -> str:
    """The stored form of a token: sha256 of a 256-bit random secret needs no slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `secret` is the bearer token, shown once and never stored."""

    result: CommandResult
    secret: str


def new_token(name: str, role: Role, person_id: UUID | None = None) -> tuple[c.IssueApiToken, str]:
    """The command that issues a token, and the secret it stores the hash of.

    People's roles act as that person, others as an integration."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return c.IssueApiToken(name, role, person_id, hash_secret(secret)), secret


def issue_token(
    app: CommandApplication,
    context: Context,
    name: str,
    role: Role,
    person_id: UUID | None = None,
) -> IssuedToken:
    """Issue a token through `app`; the secret is returned once, beside the result."""
    command, secret = new_token(name, role, person_id)
    return IssuedToken(app.handle(context, command), secret)


def issue_api_token(cmd: c.IssueApiToken, uow: UnitOfWork) -> UUID:
    if cmd.person_id is not None:
        person = uow.get(Person, cmd.person_id, "personId")
        if not person.active:
            raise InvalidInput("the person has left the organization", "personId")
    elif cmd.role in PERSONAL_ROLES:
        raise InvalidInput(f"a {cmd.role.value} token acts for a person: give personId", "personId")
    token = ApiToken.issue(
        uow.organization_id,
        uow.actor,
        name=cmd.name,
        role=cmd.role,
        person_id=cmd.person_id,
        secret_hash=cmd.secret_hash,
    )
    uow.add(token)
    return token.id


def revoke_api_token(cmd: c.RevokeApiToken, uow: UnitOfWork) -> UUID:
    token = uow.get(ApiToken, cmd.token_id, "tokenId")
    token.revoke(uow.actor)
    return token.id
