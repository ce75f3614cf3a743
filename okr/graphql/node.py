"""Relay's `Node`: every object with a global id, and finding one by that id."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Self

import strawberry
from strawberry import relay

from okr.domain.errors import NotFound
from okr.graphql.context import Info
from okr.graphql.ids import parse_global_id
from okr.views.database import Row, SqlConnection

RowById = Callable[[SqlConnection, str, str], Awaitable[Row | None]]
"""A view's query function: the organization's row with an id, or None."""


def store_and_organization(info: Info) -> tuple[SqlConnection, str]:
    """The read store and the caller's organization id, as view query functions take them."""
    return info.context.backend.views, str(info.context.who.organization_id)


async def fresh(info: Info, read: RowById, raw_id: str) -> Row | None:
    """A view row read now (not through the operation's loader cache)."""
    return await read(*store_and_organization(info), raw_id)


class FoundNode(relay.Node):
    """A node that `node(id:)` finds through `find`, within the caller's organization. Its
    `id` field is relay's global id, base64 of "Type:raw id"."""

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        """The caller's object with this raw id, or None."""
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        """Each id's object, or None (another organization's ids find nothing); when
        `required`, a missing one is NOT_FOUND."""
        ids = list(node_ids)
        found = await asyncio.gather(*(cls.find(info, raw) for raw in ids))
        for raw, node in zip(ids, found, strict=True):
            if required and node is None:
                raise NotFound(cls.__name__, raw, "id")
        return list(found)


def own_id(value: strawberry.ID, type_name: str) -> str | None:
    """The raw id inside a global id of `type_name`, or None."""
    parsed = parse_global_id(value)
    return parsed[1] if parsed and parsed[0] == type_name else None


async def load_node(info: Info, value: strawberry.ID) -> relay.Node | None:
    """Any object by global id; a malformed id, an unknown type or another organization's
    id resolves to nothing (relay's own `node` field would raise instead)."""
    parsed = parse_global_id(value)
    if parsed is None:
        return None
    global_id = relay.GlobalID(*parsed)
    try:
        kind = global_id.resolve_type(info)
    except relay.GlobalIDValueError:
        return None
    if not issubclass(kind, FoundNode):
        return None
    return await global_id.resolve_node(info)
