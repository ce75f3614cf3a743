"""Who may do what: the role matrix, and the caller a token stands for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.permission import BasePermission

from okr.domain.api_token import Role
from okr.services.context import Context


class Permission(Enum):
    READ = "read the organization's OKRs"
    READ_AUDIT_LOG = "read the audit log"
    SUBSCRIBE = "subscribe to events"
    WRITE_OKRS = "create and change OKRs and check in"
    ADMINISTER = "manage people, teams, periods, policy and tokens"


MATRIX: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.AUDITOR: frozenset({Permission.READ, Permission.READ_AUDIT_LOG, Permission.SUBSCRIBE}),
    Role.INTEGRATION: frozenset({Permission.READ, Permission.SUBSCRIBE}),
    Role.MEMBER: frozenset({Permission.READ, Permission.WRITE_OKRS}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Caller:
    """The holder of a valid token: one organization, one role, one actor."""

    organization_id: UUID
    role: Role
    actor: str
    token_id: str

    def may(self, permission: Permission) -> bool:
        return permission in MATRIX[self.role]

    def context(self, idempotency_key: str | None = None) -> Context:
        """The command context this caller's mutations run in."""
        return Context(self.organization_id, self.actor, idempotency_key)


def unauthenticated() -> GraphQLError:
    return GraphQLError("a valid bearer token is required", extensions={"code": "UNAUTHENTICATED"})


def require(permission: Permission) -> type[BasePermission]:
    """A field permission: a caller whose role grants `permission`."""

    class Required(BasePermission):
        message = f"your role may not {permission.value}"
        error_extensions = {"code": "FORBIDDEN"}

        def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
            caller: Caller | None = info.context.caller
            if caller is None:
                raise unauthenticated()
            return caller.may(permission)

    Required.__name__ = f"Require{permission.name.title().replace('_', '')}"
    return Required


READ = require(Permission.READ)
READ_AUDIT_LOG = require(Permission.READ_AUDIT_LOG)
SUBSCRIBE = require(Permission.SUBSCRIBE)
WRITE_OKRS = require(Permission.WRITE_OKRS)
ADMINISTER = require(Permission.ADMINISTER)
