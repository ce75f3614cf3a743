"""The append condition: a command's events are saved only if nothing it read has changed.

Every aggregate a command loads is part of its decision (the period it checked, the ancestors
it walked, the lead it validated), so each append carries a *read set*: the version of every
aggregate read, 0 for one that did not exist yet. The store checks the read sets against the
log inside the transaction that inserts, and within a group commit against the requests saved
before it in the same transaction, so a decision based on a stale read is never recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

from okr.domain.base import OkrAggregate


class StaleRead(IntegrityError):
    """Something the command read changed before its events could be saved (an integrity
    error, as a version clash is to the library: nothing was saved)."""

    def __init__(self, aggregate_ids: frozenset[UUID]) -> None:
        super().__init__(f"{len(aggregate_ids)} aggregate(s) read by the command changed")
        self.aggregate_ids = aggregate_ids


@dataclass(frozen=True)
class AppendRequest:
    """One command's events and the versions of every aggregate it read; `priority` (how
    many times the command has run) puts a re-run ahead of newer requests in a group."""

    events: Sequence[StoredEvent]
    read_set: Mapping[UUID, int]
    priority: int = 0


Outcome = Sequence[int] | StaleRead


class ConditionalAppend(Protocol):
    """A store that appends requests in one transaction, each only if its read set holds."""

    def __call__(self, requests: Sequence[AppendRequest]) -> list[Outcome]: ...


def read_ids(requests: Iterable[AppendRequest]) -> list[UUID]:
    """Every aggregate id the requests read, once each, sorted."""
    return sorted({i for request in requests for i in request.read_set})


def stale_reads(
    requests: Sequence[AppendRequest], stored: Mapping[UUID, int]
) -> list[frozenset[UUID]]:
    """For each request in order, the aggregates it read that have changed since: those behind
    the stored versions (`stored`: the latest version of each id read, absent when none) and
    those that an earlier accepted request of the same group writes. Empty means accepted."""
    written: set[UUID] = set()
    decisions = []
    for request in requests:
        stale = frozenset(
            aggregate_id
            for aggregate_id, version in request.read_set.items()
            if stored.get(aggregate_id, 0) > version or aggregate_id in written
        )
        if not stale:
            written.update(UUID(str(e.originator_id)) for e in request.events)
        decisions.append(stale)
    return decisions


def accepted_events(
    requests: Sequence[AppendRequest], decisions: Sequence[frozenset[UUID]]
) -> list[StoredEvent]:
    """The events of the accepted requests, in order."""
    return [e for r, stale in zip(requests, decisions, strict=True) if not stale for e in r.events]


def split_positions(
    requests: Sequence[AppendRequest],
    decisions: Sequence[frozenset[UUID]],
    positions: Sequence[int],
) -> list[Outcome]:
    """Hand each accepted request its positions, in order, and each refused one a StaleRead."""
    outcomes: list[Outcome] = []
    rest = list(positions)
    for request, stale in zip(requests, decisions, strict=True):
        if stale:
            outcomes.append(StaleRead(stale))
        else:
            outcomes.append(rest[: len(request.events)])
            rest = rest[len(request.events) :]
    return outcomes


def overtaken(
    stale: frozenset[UUID] | None, read_set: Mapping[UUID, int], changed: Sequence[OkrAggregate]
) -> bool:
    """Whether a concurrent write changed an existing aggregate that the command changes too
    (so its intent may no longer hold), rather than only ones it checked or found absent;
    `stale` None means unknown, taken as yes."""
    if stale is None:
        return True
    return any(read_set.get(a.id, 0) > 0 and a.id in stale for a in changed)
