"""Who runs a command, for which organization, and what the command returned."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Context:
    """The caller of a command: its organization, its actor and an optional idempotency key."""

    organization_id: UUID
    actor: str
    idempotency_key: str | None = None

    def with_key(self, key: str) -> Context:
        """The same caller, sending an idempotency key."""
        return Context(self.organization_id, self.actor, key)


@dataclass(frozen=True)
class CommandResult:
    """The id of the created or changed thing, and the log position of the command's last event.

    `position` is None and `repeated` True when an idempotent retry returned the first result;
    `attempts` counts the runs it took, more than one when a concurrent change made the
    command run again.
    """

    id: UUID
    position: int | None
    repeated: bool = False
    attempts: int = 1
