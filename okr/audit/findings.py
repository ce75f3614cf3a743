"""What `okr check` reports: broken rules, and events it could not read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple
from uuid import UUID

from okr.domain.errors import OkrError


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


class Breach(NamedTuple):
    """A rule an event broke, before it is placed in the log."""

    rule: str
    ids: tuple[UUID, ...]
    message: str

    @classmethod
    def of(cls, error: OkrError, ids: tuple[UUID, ...]) -> Breach:
        """The breach of the domain rule that refused with `error`."""
        return cls(error.code, ids, error.message)


def refusal(
    ids: tuple[UUID, ...], check: Callable[[], object], named: Mapping[str, UUID] | None = None
) -> Iterator[Breach]:
    """The breach of a domain rule, if `check` refuses: the error's code and message, and
    `ids` followed by the aggregate `named` for the error's field, if any."""
    try:
        check()
    except OkrError as error:
        other = (named or {}).get(error.field or "")
        yield Breach.of(error, ids if other is None else (*ids, other))
