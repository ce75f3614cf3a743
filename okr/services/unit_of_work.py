"""Loads aggregates for one command, within one organization, remembers the version of each
(the command's read set) and collects what changed for saving."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository

from okr.domain.base import OkrAggregate
from okr.domain.errors import NotFound
from okr.services.context import Context

A = TypeVar("A", bound=OkrAggregate)


def apply_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply `events` to `aggregate` in turn (the library's projector, without its per-event
    runtime-protocol check, which costs more than decoding the event on Python 3.11)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class UnitOfWork:
    """What one command reads and changes; saved by the runner in one transaction, only if
    nothing it read has changed meanwhile (see okr.services.append_condition)."""

    def __init__(self, repository: Repository[Any], context: Context, *, fresh: bool) -> None:
        self._repository = repository
        self.context = context
        self.fresh = fresh
        self.may_be_stale = False
        self._loaded: dict[UUID, OkrAggregate] = {}
        self._read: dict[UUID, int] = {}

    @property
    def actor(self) -> str:
        return self.context.actor

    @property
    def organization_id(self) -> UUID:
        return self.context.organization_id

    def get(self, kind: type[A], aggregate_id: UUID, field: str, *, checked: bool = False) -> A:
        """The aggregate of `kind`; another organization's or another kind's is not found.

        `checked` marks an aggregate the command only checks and never changes: while another
        thread is bringing the cached copy up to date, the copy is used as it is, rather than
        every command on a shared period or objective waiting in line for the same update. A
        stale copy is safe: its version is in the read set, so the append refuses it and the
        command runs again with `fresh` copies; and a refusal is only reported once a unit of
        work that `may_be_stale` has decided it again with fresh copies.
        """
        found = self.find(kind, aggregate_id, field, checked=checked)
        if found is None:
            raise NotFound(kind.__name__, aggregate_id, field)
        return found

    def find(
        self, kind: type[A], aggregate_id: UUID, field: str, *, checked: bool = False
    ) -> A | None:
        """Like `get`, but None when nothing has that id yet (which is then part of the read
        set too: the command's decision holds only while it stays absent)."""
        found = self._loaded.get(aggregate_id)
        if found is None:
            skipping = checked and not self.fresh
            self.may_be_stale |= skipping
            try:
                found = self._load(aggregate_id, skipping=skipping)
            except AggregateNotFoundError:
                self._read.setdefault(aggregate_id, 0)
                return None
            self._read.setdefault(aggregate_id, found.version)
        if not isinstance(found, kind) or found.organization_id != self.organization_id:
            raise NotFound(kind.__name__, aggregate_id, field)
        self._loaded[aggregate_id] = found
        return found

    def _load(self, aggregate_id: UUID, *, skipping: bool) -> OkrAggregate:
        try:
            found: OkrAggregate = self._repository.get(
                aggregate_id, projector_func=apply_events, fastforward_skipping=skipping
            )
        except RuntimeError:
            if not skipping:
                raise
            # The cached copy changed size while it was copied mid-update: wait for the update.
            found = self._repository.get(aggregate_id, projector_func=apply_events)
        return found

    def add(self, aggregate: OkrAggregate) -> None:
        """Save `aggregate` with the rest of the command."""
        self._loaded[aggregate.id] = aggregate

    @property
    def changed(self) -> list[OkrAggregate]:
        return [a for a in self._loaded.values() if a.pending_events]

    def saved(self) -> None:
        """What was changed has been saved: everything loaded is now read at its new version
        (for callers that keep one unit of work across several saves)."""
        absent = {i: 0 for i, version in self._read.items() if version == 0}
        self._read = absent | {i: a.version for i, a in self._loaded.items()}

    @property
    def read_set(self) -> dict[UUID, int]:
        """The version of every aggregate read or written, as the command found it."""
        versions = dict(self._read)
        for aggregate in self.changed:
            versions.setdefault(aggregate.id, aggregate.pending_events[0].originator_version - 1)
        return versions
