"""Reads the event store in global order, off the event loop."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from eventsourcing.application import Application

from okr.domain.base import OkrAggregate
from okr.views.base import Envelope


class RecorderEventFeed:
    """The views' event feed over an eventsourcing application's recorder and mapper."""

    def __init__(self, app: Application[Any]) -> None:
        self._app = app

    def _read(self, after: int, limit: int) -> list[Envelope]:
        notifications = self._app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return [
            Envelope(n.id, cast(OkrAggregate.Event, self._app.mapper.to_domain_event(n)))
            for n in notifications
        ]

    async def read(self, after: int, limit: int) -> list[Envelope]:
        """Up to `limit` events after position `after`, in order."""
        return await asyncio.to_thread(self._read, after, limit)

    async def head(self) -> int:
        """The position of the last stored event (0 when the log is empty)."""
        return await asyncio.to_thread(lambda: self._app.recorder.max_notification_id() or 0)
