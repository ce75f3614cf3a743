"""The port the views follow: the event log in global order, as decoded envelopes."""

from __future__ import annotations

from typing import Protocol

from okr.views.base import Envelope


class EventFeed(Protocol):
    """Batches of stored events after a position (okr.infra.event_feed reads the store)."""

    async def read(self, after: int, limit: int) -> list[Envelope]:
        """Up to `limit` events after position `after`, in order."""
        ...

    async def head(self) -> int:
        """The position of the last stored event (0 when the log is empty)."""
        ...
