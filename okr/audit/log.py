"""Reads the event log in global order, a batch at a time, for the audit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from eventsourcing.utils import TopicError

from okr.audit.findings import Unreadable
from okr.domain.base import OkrAggregate

BATCH_SIZE = 1000

Entry = tuple[int, OkrAggregate.Event | Unreadable]


def head(app: Application[UUID]) -> int:
    """The position of the last stored event (0 when the log is empty)."""
    return app.recorder.max_notification_id() or 0


def read_log(
    app: Application[UUID], stop: int | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[list[Entry]]:
    """Batches of (position, event) in log order, up to position `stop` if given."""
    after = 0
    while notifications := app.recorder.select_notifications(
        start=after, limit=batch_size, stop=stop, inclusive_of_start=False
    ):
        yield [(n.id, _decode(app, n)) for n in notifications]
        after = notifications[-1].id


def _decode(app: Application[UUID], notification: Notification) -> OkrAggregate.Event | Unreadable:
    try:
        event: Any = app.mapper.to_domain_event(notification)
    except (TopicError, ValueError, TypeError, KeyError, AttributeError) as error:
        problem = str(error)
    else:
        if isinstance(event, OkrAggregate.Event):
            return event
        problem = "not an okr event"
    return Unreadable(UUID(str(notification.originator_id)), notification.topic, problem)
