"""The tokens view: which hash belongs to which organization, role and actor."""

from __future__ import annotations

from functools import singledispatchmethod

from okr.domain.api_token import ApiToken, token_actor
from okr.views.base import View, every_row, ident, iso, row_by_id
from okr.views.database import Row, SqlConnection


class Tokens(View):
    name = "tokens"
    tables = {
        "api_tokens": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "role TEXT NOT NULL, person_id TEXT, actor TEXT NOT NULL, secret_hash TEXT NOT NULL, "
        "issued_at TEXT NOT NULL, revoked_at TEXT",
    }
    indexes = {"api_tokens_hash": "api_tokens (secret_hash)"}

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: ApiToken.Issued, conn: SqlConnection, position: int) -> None:
        actor = token_actor(event.person_id, event.originator_id)
        await conn.execute(
            f"INSERT INTO {self.p}api_tokens VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.role,
            ident(event.person_id),
            actor,
            event.secret_hash,
            iso(event.timestamp),
        )

    @process.register
    async def _(self, event: ApiToken.Revoked, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}api_tokens SET revoked_at = $1 WHERE id = $2",
            iso(event.timestamp),
            str(event.originator_id),
        )


USABLE_TOKENS = (
    "SELECT t.* FROM api_tokens t LEFT JOIN people p ON p.id = t.person_id "
    "WHERE t.revoked_at IS NULL AND (t.person_id IS NULL OR p.active = 1) AND "
)


async def token_by_hash(conn: SqlConnection, secret_hash: str) -> Row | None:
    """The usable token with this hash: not revoked, and its person (if any) still active."""
    return await conn.fetchrow(USABLE_TOKENS + "t.secret_hash = $1", secret_hash)


async def token_is_live(conn: SqlConnection, token_id: str) -> bool:
    """Whether the token may still be used."""
    return await conn.fetchrow(USABLE_TOKENS + "t.id = $1", token_id) is not None


async def api_token_by_id(conn: SqlConnection, organization_id: str, token_id: str) -> Row | None:
    """One API token of the organization, revoked or not, or None."""
    return await row_by_id(conn, "api_tokens", organization_id, token_id)


async def every_api_token(conn: SqlConnection, organization_id: str) -> list[Row]:
    """The organization's API tokens, revoked ones included, in the order issued."""
    return await every_row(conn, "api_tokens", organization_id, "issued_at, id")
