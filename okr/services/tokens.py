"""Issuing and revoking API tokens; the secret is shown once and only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from uuid import UUID

from okr.domain.api_token import ApiToken, Role
from okr.domain.errors import InvalidInput
from okr.domain.organization import Person
from okr.services.context import CommandResult, Context
from okr.services.runner import CommandApplication, command
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


class TokenCommands(CommandApplication):
    """API tokens per organization, with one role each."""

    def issue_token(
        self, context: Context, name: str, role: Role, person_id: UUID | None = None
    ) -> IssuedToken:
        """Issue a token; people's roles act as that person, others as an integration."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        result = self._issue(context, name, role, person_id, hash_secret(secret))
        return IssuedToken(result, secret)

    @command()
    def _issue(
        self, uow: UnitOfWork, name: str, role: Role, person_id: UUID | None, secret_hash: str
    ) -> UUID:
        if person_id is not None:
            uow.get(Person, person_id, "personId")
        elif role in PERSONAL_ROLES:
            raise InvalidInput(f"a {role.value} token acts for a person: give personId", "personId")
        token = ApiToken.issue(
            uow.organization_id,
            uow.actor,
            name=name,
            role=role,
            person_id=person_id,
            secret_hash=secret_hash,
        )
        uow.add(token)
        return token.id

    @command()
    def revoke_token(self, uow: UnitOfWork, token_id: UUID) -> UUID:
        token = uow.get(ApiToken, token_id, "tokenId")
        token.revoke(uow.actor)
        return token.id
