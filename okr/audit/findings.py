"""What `okr check` reports: broken rules, and events it could not read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from uuid import UUID


@dataclass(frozen=True)
class Violation:
    """The event at `position` broke `rule`; `ids` are the aggregates involved."""

    position: int
    rule: str
    event_type: str
    ids: tuple[UUID, ...]
    message: str


@dataclass(frozen=True)
class Unreadable:
    """A stored event that no longer decodes into a domain event of okr."""

    aggregate_id: UUID
    topic: str
    error: str


class Finding(NamedTuple):
    """A rule an event broke, before it is placed in the log."""

    rule: str
    ids: tuple[UUID, ...]
    message: str
