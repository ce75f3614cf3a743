"""API tokens: a role in one organization, kept only as a hash of the secret."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.errors import InvalidInput, InvalidTransition
from okr.domain.values import clean_title


class Role(StrEnum):
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"
    VIEWER = "VIEWER"
    AUDITOR = "AUDITOR"
    INTEGRATION = "INTEGRATION"


def token_actor(person_id: UUID | None, token_id: UUID) -> str:
    """A person's token acts as that person; any other as the integration it was issued to."""
    return f"person:{person_id}" if person_id else f"integration:{token_id}"


class ApiToken(OkrAggregate):
    """A bearer token; whoever holds the secret acts as its person or integration."""

    if TYPE_CHECKING:
        name: str
        role: Role
        person_id: UUID | None
        secret_hash: str
        revoked: bool

    class Issued(OkrAggregate.Created):
        name: str
        role: str
        person_id: UUID | None
        secret_hash: str

        def apply(self, aggregate: ApiToken) -> None:
            super().apply(aggregate)
            aggregate.name = self.name
            aggregate.role = Role(self.role)
            aggregate.person_id = self.person_id
            aggregate.secret_hash = self.secret_hash
            aggregate.revoked = False

    class Revoked(OkrAggregate.Event):
        def apply(self, aggregate: ApiToken) -> None:
            aggregate.revoked = True

    @classmethod
    def issue(
        cls,
        organization_id: UUID,
        actor: str,
        *,
        name: str,
        role: Role,
        person_id: UUID | None,
        secret_hash: str,
    ) -> ApiToken:
        if len(secret_hash) != 64:
            raise InvalidInput("a token is stored as a sha256 hex digest", "secretHash")
        return cls._create(
            cls.Issued,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            name=clean_title(name, "name"),
            role=role.value,
            person_id=person_id,
            secret_hash=secret_hash,
        )

    @property
    def actor(self) -> str:
        """Who acts when this token is used."""
        return token_actor(self.person_id, self.id)

    def revoke(self, actor: str) -> None:
        if self.revoked:
            raise InvalidTransition("the token is already revoked")
        self.trigger_event(self.Revoked, actor=actor)
