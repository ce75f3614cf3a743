"""The tokens view: which hash belongs to which organization, role and actor, and whether
it may still be used (not revoked, its person, if any, still active)."""

from __future__ import annotations

from functools import singledispatchmethod

from okr.domain.api_token import ApiToken, token_actor
from okr.domain.organization import Person
from okr.views.base import View, every_row, ident, iso, row_by_id
from okr.views.database import Row, SqlConnection
from okr.views.directory import Directory, person_is_active


class Tokens(View):
    name = "tokens"
    version = 2
    reads = (Directory,)
    tables = {
        "api_tokens": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, "
        "role TEXT NOT NULL, person_id TEXT, actor TEXT NOT NULL, secret_hash TEXT NOT NULL, "
        "issued_at TEXT NOT NULL, revoked_at TEXT, person_active INTEGER NOT NULL",
    }
    indexes = {"api_tokens_hash": "api_tokens (secret_hash)"}

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: ApiToken.Issued, conn: SqlConnection, position: int) -> None:
        actor = token_actor(event.person_id, event.originator_id)
        directory = self.source(Directory).p
        active = event.person_id is None or await person_is_active(
            conn, str(event.person_id), directory
        )
        await conn.execute(
            f"INSERT INTO {self.p}api_tokens VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9)",
            str(event.originator_id),
            str(event.organization_id),
            event.name,
            event.role,
            ident(event.person_id),
            actor,
            event.secret_hash,
            iso(event.timestamp),
            int(active),
        )

    @process.register
    async def _(self, event: ApiToken.Revoked, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"UPDATE {self.p}api_tokens SET revoked_at = $1 WHERE id = $2",
            iso(event.timestamp),
            str(event.originator_id),
        )

    @process.register
    async def _(self, event: Person.Left, conn: SqlConnection, position: int) -> None:
        await self._person_active(conn, event, 0)

    @process.register
    async def _(self, event: Person.Rejoined, conn: SqlConnection, position: int) -> None:
        await self._person_active(conn, event, 1)

    async def _person_active(
        self, conn: SqlConnection, event: Person.Left | Person.Rejoined, active: int
    ) -> None:
        await conn.execute(
            f"UPDATE {self.p}api_tokens SET person_active = $1 WHERE person_id = $2",
            active,
            str(event.originator_id),
        )


USABLE_TOKENS = "SELECT * FROM api_tokens WHERE revoked_at IS NULL AND person_active = 1 AND "


async def token_by_hash(conn: SqlConnection, secret_hash: str) -> Row | None:
    """The usable token with this hash: not revoked, and its person (if any) still active."""
    return await conn.fetchrow(USABLE_TOKENS + "secret_hash = $1", secret_hash)


async def token_is_live(conn: SqlConnection, token_id: str) -> bool:
    """Whether the token may still be used."""
    return await conn.fetchrow(USABLE_TOKENS + "id = $1", token_id) is not None


async def api_token_by_id(conn: SqlConnection, organization_id: str, token_id: str) -> Row | None:
    """One API token of the organization, revoked or not, or None."""
    return await row_by_id(conn, "api_tokens", organization_id, token_id)


async def every_api_token(conn: SqlConnection, organization_id: str) -> list[Row]:
    """The organization's API tokens, revoked ones included, in the order issued."""
    return await every_row(conn, "api_tokens", organization_id, "issued_at, id")
