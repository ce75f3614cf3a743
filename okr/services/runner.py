"""Runs commands: one transaction each, conflict retries, idempotency keys, and history reads."""

from __future__ import annotations

import functools
import hashlib
import inspect
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Concatenate, ParamSpec, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Notification,
    OperationalError,
    Recording,
    Transcoding,
)

from okr.domain.base import OkrAggregate
from okr.domain.errors import ConcurrencyConflict, NotFound
from okr.domain.idempotency import IdempotencyRecord, idempotency_record_id
from okr.services.context import CommandResult, Context
from okr.services.group_commit import GroupCommit
from okr.services.unit_of_work import UnitOfWork

RETRY_ATTEMPTS = 10
RETRY_BACKOFF_SECONDS = 0.002
BUSY_ATTEMPTS = 4
_BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})

S = TypeVar("S", bound="CommandApplication")
P = ParamSpec("P")
A = TypeVar("A", bound=OkrAggregate)


class DateAsISO(Transcoding):
    """Stores a `date` as its ISO text."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class EventRecord:
    """One stored event of an aggregate, for history listings."""

    version: int
    type: str
    occurred_at: datetime
    actor: str
    organization_id: UUID
    payload: dict[str, Any]


def describe(event: OkrAggregate.Event) -> EventRecord:
    """The listing form of a domain event."""
    payload = {k: v for k, v in vars(event).items() if k not in _BASE_FIELDS}
    return EventRecord(
        version=event.originator_version,
        type=type(event).__qualname__,
        occurred_at=event.timestamp,
        actor=payload.pop("actor"),
        organization_id=payload.pop("organization_id"),
        payload=payload,
    )


def command(
    *, retry: bool = False
) -> Callable[
    [Callable[Concatenate[S, UnitOfWork, P], UUID]],
    Callable[Concatenate[S, Context, P], CommandResult],
]:
    """Make `body(self, uow, ...)` a command `(self, context, ...)`.

    `retry` marks a command as safe to repeat on a concurrent write (it is then re-run on
    freshly loaded state); any other conflict surfaces as ConcurrencyConflict.
    """

    def decorate(
        body: Callable[Concatenate[S, UnitOfWork, P], UUID],
    ) -> Callable[Concatenate[S, Context, P], CommandResult]:
        signature = inspect.signature(body)

        @functools.wraps(body)
        def run(self: S, context: Context, /, *args: P.args, **kwargs: P.kwargs) -> CommandResult:
            bound = signature.bind(self, None, *args, **kwargs)
            bound.apply_defaults()
            fingerprint = command_fingerprint(list(bound.arguments.items())[2:])
            return self.execute(
                context,
                body.__name__,
                fingerprint,
                lambda uow: body(self, uow, *args, **kwargs),
                retry=retry,
            )

        return run

    return decorate


def _normal(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def command_fingerprint(arguments: list[tuple[str, Any]]) -> str:
    """What a command was asked to do, independent of how its arguments were written."""
    normal = [(name, _normal(value)) for name, value in arguments]
    return hashlib.sha256(repr(normal).encode()).hexdigest()


class CommandApplication(Application[UUID]):
    """The event-sourced application: runs commands and reads aggregate history."""

    name = "okr"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = "okr"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        self.saved_listeners: list[Callable[[int], None]] = []
        self._group_commit = GroupCommit(self.recorder.insert_events)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Store the events through group commit, so concurrent commands share transactions."""
        if processing_event.tracking is not None:
            return super()._record(processing_event)
        events = processing_event.events
        stored = [self.mapper.to_stored_event(e) for e in events]
        positions = self._group_commit(stored)
        return [
            Recording(
                event, Notification(s.originator_id, s.originator_version, s.topic, s.state, n)
            )
            for event, s, n in zip(events, stored, positions, strict=True)
        ]

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """Tell in-process listeners the position of the last saved event."""
        if recordings:
            position = recordings[-1].notification.id
            for listener in self.saved_listeners:
                listener(position)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def execute(
        self,
        context: Context,
        name: str,
        fingerprint: str,
        body: Callable[[UnitOfWork], UUID],
        *,
        retry: bool,
    ) -> CommandResult:
        """Run `body` and save what it changed in one transaction."""
        attempts = RETRY_ATTEMPTS if retry else 1
        for attempt in range(max(attempts, BUSY_ATTEMPTS)):
            first = self._first_result(context, name, fingerprint)
            if first is not None:
                return first
            uow = UnitOfWork(self.repository, context)
            result_id = body(uow)
            if context.idempotency_key is not None:
                uow.add(
                    IdempotencyRecord.record(
                        context.organization_id,
                        context.actor,
                        context.idempotency_key,
                        name,
                        fingerprint,
                        result_id,
                    )
                )
            try:
                recordings = self.save(*uow.changed)
            except OperationalError:
                if attempt + 1 >= max(attempts, BUSY_ATTEMPTS):
                    raise
                time.sleep(random.uniform(0, RETRY_BACKOFF_SECONDS * 2**attempt))  # noqa: S311
                continue
            except IntegrityError:
                first = self._first_result(context, name, fingerprint)
                if first is not None:
                    return first
                if attempt + 1 < attempts:
                    time.sleep(random.uniform(0, RETRY_BACKOFF_SECONDS * 2**attempt))  # noqa: S311
                    continue
                raise ConcurrencyConflict(
                    "the same thing was changed at the same time; reload and try again"
                ) from None
            return CommandResult(result_id, max(r.notification.id for r in recordings))
        raise AssertionError("unreachable")  # pragma: no cover

    def _first_result(self, context: Context, name: str, fingerprint: str) -> CommandResult | None:
        if context.idempotency_key is None:
            return None
        record_id = idempotency_record_id(
            context.organization_id, context.actor, context.idempotency_key
        )
        try:
            record: IdempotencyRecord = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        result_id = record.replay(name, fingerprint)
        return CommandResult(result_id, None, replayed=True)

    def load(
        self,
        context: Context,
        kind: type[A],
        aggregate_id: UUID,
        *,
        version: int | None = None,
        at: datetime | None = None,
    ) -> A:
        """The aggregate now, at `version`, or as it was at time `at`."""
        found: Any = None
        for stored in self.events.get(aggregate_id, lte=version):
            event = cast(OkrAggregate.Event, stored)
            if at is not None and event.timestamp > at:
                break
            found = event.mutate(found)
        if not isinstance(found, kind) or found.organization_id != context.organization_id:
            raise NotFound(kind.__name__, aggregate_id, "id")
        return found

    def history(self, context: Context, aggregate_id: UUID) -> list[EventRecord]:
        """Every event of one aggregate, oldest first, with its actor and time."""
        records = [describe(cast(OkrAggregate.Event, e)) for e in self.events.get(aggregate_id)]
        if not records or records[0].organization_id != context.organization_id:
            raise NotFound("Aggregate", aggregate_id, "id")
        return records
