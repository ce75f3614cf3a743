"""What every view shares: stored-event envelopes, value encodings and table DDL."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from functools import singledispatchmethod
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from okr.domain.base import OkrAggregate
from okr.views.database import Row, SqlConnection


@dataclass(frozen=True)
class Envelope:
    """A stored event and its position in the global log."""

    position: int
    event: OkrAggregate.Event

    @property
    def type(self) -> str:
        """The event's name, such as `Objective.LeadChanged`."""
        return type(self.event).__qualname__


def iso(moment: datetime) -> str:
    """A fixed-width UTC timestamp that sorts as text in both dialects."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def ident(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def plain(value: Any) -> Any:
    """An event field as a JSON value."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def marks(count: int, first: int) -> str:
    """`count` numbered placeholders from `$first`: `$2, $3, $4`."""
    return ", ".join(f"${n}" for n in range(first, first + count))


async def rows_where_in(
    conn: SqlConnection,
    table: str,
    organization_id: str,
    column: str,
    values: Sequence[str],
    order: str = "",
) -> list[Row]:
    """The organization's rows of a view table whose `column` is one of `values`, in `order`
    if given. For the view modules' own query functions: only the module owning `table`
    names it."""
    ordered = f" ORDER BY {order}" if order else ""
    return await conn.fetch(
        f"SELECT * FROM {table} WHERE organization_id = $1 "
        f"AND {column} IN ({marks(len(values), 2)}){ordered}",
        organization_id,
        *values,
    )


async def rows_by_ids(
    conn: SqlConnection, table: str, organization_id: str, ids: Sequence[str]
) -> list[Row]:
    """The organization's rows of a view table whose id is in `ids`, in no order."""
    return await rows_where_in(conn, table, organization_id, "id", ids)


async def row_by_id(
    conn: SqlConnection, table: str, organization_id: str, row_id: str
) -> Row | None:
    """The organization's row of a view table with this id, or None (see `rows_by_ids`)."""
    return await conn.fetchrow(
        f"SELECT * FROM {table} WHERE id = $1 AND organization_id = $2", row_id, organization_id
    )


async def every_row(conn: SqlConnection, table: str, organization_id: str, order: str) -> list[Row]:
    """All of the organization's rows of a view table, in `order` (see `rows_by_ids`)."""
    return await conn.fetch(
        f"SELECT * FROM {table} WHERE organization_id = $1 ORDER BY {order}", organization_id
    )


_HANDLERS: dict[type, dict[type, Callable[..., Awaitable[None]] | None]] = {}


V = TypeVar("V", bound="View")


class View:
    """A read model: its tables, and a handler per event type it reads.

    `version` changes whenever the tables or what the handlers write into them change: the
    next start rebuilds the view beside the live one and swaps it in. `reads` names the views
    whose tables the handlers read; they are applied first. `prefix` names a second set of
    tables, so a rebuild can run beside the live ones; `sources` holds the instances of the
    views in `reads` that this one reads from (see `source`).
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    reads: ClassVar[tuple[type[View], ...]] = ()
    tables: ClassVar[dict[str, str]]
    indexes: ClassVar[dict[str, str]] = {}

    def __init__(self, prefix: str = "", sources: Mapping[str, View] | None = None) -> None:
        self.p = prefix
        self.sources = dict(sources or {})

    def source(self, view: type[V]) -> V:
        """The instance of `view` (one this view reads) whose tables this one reads: the one
        rebuilt alongside it, or the live one."""
        if view.name not in {read.name for read in self.reads}:
            raise LookupError(f"{self.name} does not declare that it reads {view.name}")
        found = self.sources.get(view.name)
        if not isinstance(found, view):
            raise LookupError(f"{self.name} was given no {view.name} view to read")
        return found

    async def create(self, conn: SqlConnection) -> None:
        for table, columns in self.tables.items():
            await conn.execute(f"CREATE TABLE IF NOT EXISTS {self.p}{table} ({columns})")
        for index, definition in self.indexes.items():
            table, _, columns = definition.partition(" ")
            await conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self.p}{index} ON {self.p}{table} {columns}"
            )

    async def drop(self, conn: SqlConnection) -> None:
        for table in self.tables:
            await conn.execute(f"DROP TABLE IF EXISTS {self.p}{table}")

    async def apply_batch(self, batch: Sequence[Envelope], conn: SqlConnection) -> None:
        """Apply stored events to this view, in order, passing over those it does not read."""
        for envelope in batch:
            handler = self.handler(type(envelope.event))
            if handler is not None:
                await handler(self, envelope.event, conn, envelope.position)

    @classmethod
    def handler(cls, kind: type) -> Callable[..., Awaitable[None]] | None:
        """The `process` implementation for events of `kind`; None if this view ignores them."""
        handlers = _HANDLERS.setdefault(cls, {})
        if kind not in handlers:
            dispatcher = inspect.getattr_static(cls, "process").dispatcher
            found = dispatcher.dispatch(kind)
            handlers[kind] = None if found is dispatcher.dispatch(object) else found
        return handlers[kind]

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Apply one event; events this view does not read are passed over."""
