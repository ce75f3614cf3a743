"""What the API needs from the process: commands, the views, and read-your-writes."""

from __future__ import annotations

from typing import Protocol

from okr.services.application import OkrApplication
from okr.views.database import SqlConnection


class Backend(Protocol):
    """The running process as the API sees it (okr.bootstrap.Runtime is one)."""

    @property
    def app(self) -> OkrApplication: ...

    @property
    def views(self) -> SqlConnection:
        """Where the views' query functions read."""
        ...

    async def caught_up(self, position: int | None, timeout: float = ...) -> bool:
        """Wait, bounded, until every view has applied `position`."""
        ...

    async def caught_up_with_log(self, timeout: float = ...) -> bool:
        """Wait, bounded, until every view has applied the last stored event."""
        ...

    async def lagging(self) -> bool:
        """Whether the views have yet to apply some stored event."""
        ...
