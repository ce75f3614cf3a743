"""Bearer tokens to callers: the token is hashed and looked up; only hashes are stored."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING
from uuid import UUID

from okr.domain.api_token import Role
from okr.graphql.permissions import Caller
from okr.services.tokens import TOKEN_LENGTH, TOKEN_PREFIX, hash_secret
from okr.views.database import SqlConnection
from okr.views.tokens import token_by_hash, token_is_live

if TYPE_CHECKING:
    from okr.graphql.backend import Backend

MAX_TOKEN_LENGTH = 200
SHARED_SECONDS = 1.0


def bearer(header: object) -> str | None:
    """The token of an `Authorization: Bearer <token>` value, or None."""
    if not isinstance(header, str):
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token


def well_formed(token: str) -> bool:
    """Whether `token` looks like one okr issues (so only those wait for lagging views)."""
    return token.startswith(TOKEN_PREFIX) and len(token) == TOKEN_LENGTH


async def authenticate(backend: Backend, header: object) -> Caller | None:
    """The caller a valid, unrevoked token stands for; None for anything else.

    A token issued a moment ago may not be in the view yet: when it is missing and the views
    lag, wait for them (bounded) and look once more.
    """
    token = bearer(header)
    if token is None:
        return None
    secret_hash = hash_secret(token)
    row = await token_by_hash(backend.views, secret_hash)
    if row is None and well_formed(token) and await backend.lagging():
        await backend.caught_up_with_log()
        row = await token_by_hash(backend.views, secret_hash)
    if row is None:
        return None
    return Caller(UUID(row["organization_id"]), Role(row["role"]), row["actor"], row["id"])


class TokenChecks:
    """Whether tokens are still live (not revoked, nor their person gone): each token is looked
    up at most once every `seconds`, and callers asking meanwhile share that answer."""

    def __init__(self, store: SqlConnection, seconds: float = SHARED_SECONDS) -> None:
        self.store = store
        self.seconds = seconds
        self._checks: dict[str, tuple[float, asyncio.Future[bool]]] = {}

    async def live(self, token_id: str) -> bool:
        now = time.monotonic()
        check = self._checks.get(token_id)
        if check is None or now - check[0] > self.seconds:
            self._checks = {k: c for k, c in self._checks.items() if now - c[0] <= self.seconds}
            check = (now, asyncio.ensure_future(token_is_live(self.store, token_id)))
            self._checks[token_id] = check
        try:
            return await asyncio.shield(check[1])
        except Exception:
            if self._checks.get(token_id) is check:
                del self._checks[token_id]
            raise
