"""Opaque global ids (relay's: base64 of "Type:uuid") and pagination cursors."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from uuid import UUID

from strawberry import relay

from okr.domain.errors import InvalidInput, NotFound
from okr.domain.values import check_year

MAX_PAGE = 100


def global_id(type_name: str, raw: str | UUID) -> str:
    """The global id of `type_name`'s object `raw`, as relay encodes it."""
    return str(relay.GlobalID(type_name, str(raw)))


def parse_global_id(value: str) -> tuple[str, str] | None:
    """(type name, raw id), or None if `value` is not a global id. Stricter than relay's
    parser, which skips characters outside base64, so a malformed id finds nothing."""
    try:
        decoded = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, raw = decoded.partition(":")
    return (type_name, raw) if sep and type_name and raw else None


def decode_id(value: str, type_name: str, field: str) -> UUID:
    """The uuid inside a global id of `type_name`; anything else is not found."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name:
        raise NotFound(type_name, value, field)
    try:
        return UUID(parsed[1])
    except ValueError:
        raise NotFound(type_name, value, field) from None


def page_size(first: int | None, default: int = 50) -> int:
    size = default if first is None else first
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput(f"first must be 1 to {MAX_PAGE}", "first")
    return size


def cursor(kind: str, *parts: object) -> str:
    return base64.b64encode("|".join([kind, *map(str, parts)]).encode()).decode()


def parse_cursor(value: str | None, kind: str, arity: int) -> list[str] | None:
    """The parts of a cursor of `kind`, None for no cursor; a malformed one is refused."""
    if value is None:
        return None
    try:
        parts = base64.b64decode(value.encode(), validate=True).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parts = []
    if len(parts) != arity + 1 or parts[0] != kind:
        raise InvalidInput("after is not a cursor from this connection", "after")
    return parts[1:]


def objective_id(value: str) -> UUID:
    return decode_id(value, "Objective", "objectiveId")


def person_id(value: str, field: str = "personId") -> UUID:
    return decode_id(value, "Person", field)


def key_result_id(value: str) -> UUID:
    return decode_id(value, "KeyResult", "keyResultId")


def event_position(after: str | None) -> int:
    """The position inside an event cursor (0 for none); anything else is refused."""
    parts = parse_cursor(after, "event", 1)
    if parts is None:
        return 0
    if not parts[0].isdigit() or len(parts[0]) > 18:
        raise InvalidInput("after is not a cursor from this connection", "after")
    return int(parts[0])


def moment(value: datetime | None, field: str) -> datetime | None:
    """A time argument with a zone, between 1900 and 2200, in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise InvalidInput(f"{field} needs a time zone, such as Z or +02:00", field)
    check_year(value.year, field)
    return value.astimezone(UTC)
