"""API tokens as administrators see them: never their secret."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from okr.domain.api_token import Role
from okr.graphql.context import Info
from okr.graphql.node import FoundNode, fresh
from okr.graphql.permissions import Permission
from okr.views.database import Row
from okr.views.tokens import api_token_by_id

strawberry.enum(Role)


@strawberry.type
class ApiToken(FoundNode):
    id: relay.NodeID[str]
    name: str
    role: Role
    actor: str
    issued_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            name=row["name"],
            role=Role(row["role"]),
            actor=row["actor"],
            issued_at=datetime.fromisoformat(row["issued_at"]),
            revoked_at=datetime.fromisoformat(row["revoked_at"]) if row["revoked_at"] else None,
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        """The token, for an administrator; nobody else sees tokens."""
        if not info.context.who.may(Permission.ADMINISTER):
            return None
        row = await fresh(info, api_token_by_id, raw_id)
        return None if row is None else cls.of(row)
