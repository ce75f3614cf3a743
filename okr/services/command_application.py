"""Runs commands: one transaction each, the append condition, re-runs on fresh state and
idempotency keys."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    JSONTranscoder,
    Notification,
    OperationalError,
    Recording,
    Transcoding,
)

from okr.domain.commands import Command
from okr.domain.errors import ConcurrencyConflict, OkrError
from okr.domain.idempotency import IdempotencyRecord, idempotency_record_id
from okr.services.append_condition import AppendRequest, ConditionalAppend, StaleRead, overtaken
from okr.services.context import CommandResult, Context
from okr.services.group_commit import GroupCommit
from okr.services.history import HistoryReads
from okr.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
RERUN_SECONDS = 10.0
RETRY_BACKOFF_SECONDS = 0.002
BUSY_ATTEMPTS = 4

Handler = Callable[[Any, UnitOfWork], UUID]


class DateAsISO(Transcoding):
    """Stores a `date` as its ISO text."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class CommandApplication(HistoryReads, Application[UUID]):
    """The event-sourced application: runs commands and reads aggregate history.

    `append_for` makes the store's conditional append for the application's recorder; the
    composition root (okr.bootstrap) gives okr.infra.appenders.conditional_append."""

    name = "okr"
    handlers: Mapping[type[Command], Handler] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = "okr"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        append_for: Callable[[ApplicationRecorder], ConditionalAppend],
    ) -> None:
        super().__init__(env)
        self.saved_listeners: list[Callable[[int], None]] = []
        self._group_commit = GroupCommit(append_for(self.recorder))

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Store the events through group commit, so concurrent commands share transactions.

        Every aggregate saved must still be at the version it had before these events (an
        optimistic check made inside the append, like the commands' read sets)."""
        if processing_event.tracking is not None:
            return super()._record(processing_event)
        events = processing_event.events
        read_set = processing_event.saved_kwargs.get("read_set") or {
            e.originator_id: e.originator_version - 1 for e in reversed(events)
        }
        stored = [self.mapper.to_stored_event(e) for e in events]
        priority = processing_event.saved_kwargs.get("priority", 0)
        positions = self._group_commit(AppendRequest(stored, read_set, priority))
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

    def handle(self, context: Context, command: Command) -> CommandResult:
        """Run `command` for `context` and save what it changed in one transaction.

        The save holds only if nothing the command read has changed since (its read set). If
        something has, the command runs again on fresh state when that is safe: when it is a
        `retry` command, or when only aggregates it checked (or found absent) changed, so the
        rules are simply re-applied to the new state. Otherwise it is refused with CONFLICT.
        A stale read means another command was saved, so a re-run goes at once, ahead of
        newer requests in its group commit, until RERUN_SECONDS have passed. A store too busy
        to write is tried BUSY_ATTEMPTS times with a jittered back-off.
        """
        handler = self.handlers[type(command)]
        fingerprint = command.fingerprint() if context.idempotency_key is not None else ""
        deadline = time.monotonic() + RERUN_SECONDS
        attempt = busy = 0
        while True:
            first = self._first_result(context, command.command_name, fingerprint)
            if first is not None:
                return first
            if attempt > 0:
                self._group_commit.settle()
            uow = UnitOfWork(self.repository, context, fresh=attempt > 0)
            try:
                result_id = self._decide(handler, command, uow, fingerprint)
            except OkrError:
                if not uow.may_be_stale:
                    raise
                attempt += 1
                continue
            changed, read_set = uow.changed, uow.read_set
            try:
                recordings = self.save(*changed, read_set=read_set, priority=attempt)
            except OperationalError:
                busy += 1
                if busy >= BUSY_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, RETRY_BACKOFF_SECONDS * 2**busy))  # noqa: S311
            except IntegrityError as error:
                stale = error.aggregate_ids if isinstance(error, StaleRead) else None
                overrun = time.monotonic() > deadline
                if overrun or (not command.retry and overtaken(stale, read_set, changed)):
                    first = self._first_result(context, command.command_name, fingerprint)
                    if first is not None:
                        return first
                    raise ConcurrencyConflict(
                        "the same thing was changed at the same time; reload and try again"
                    ) from None
                log.info("%s runs again: what it read changed", command.command_name)
            else:
                position = max(r.notification.id for r in recordings)
                return CommandResult(result_id, position, attempts=attempt + 1)
            attempt += 1

    @staticmethod
    def _decide(handler: Handler, command: Command, uow: UnitOfWork, fingerprint: str) -> UUID:
        """Run the handler; with an idempotency key, record the key beside its result."""
        result_id = handler(command, uow)
        context = uow.context
        if context.idempotency_key is not None:
            uow.add(
                IdempotencyRecord.record(
                    context.organization_id,
                    context.actor,
                    context.idempotency_key,
                    command.command_name,
                    fingerprint,
                    result_id,
                )
            )
        return result_id

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
        result_id = record.first_result(name, fingerprint)
        return CommandResult(result_id, None, repeated=True)
