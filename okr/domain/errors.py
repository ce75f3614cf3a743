"""One small hierarchy of domain errors; each maps to a stable `userErrors` code."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

QUOTE_MAX = 60


def escaped(text: str) -> str:
    """`text` with each character that does not print (controls, bidirectional formatting,
    line separators) written as its Python escape, such as \\x00 or \\u202e."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def quoted(text: str, limit: int = QUOTE_MAX) -> str:
    """`text` as an error message shows input: cut to `limit` characters (ending in "…"),
    then quoted and escaped like `repr`, so no control or bidirectional character shows raw."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


class OkrError(Exception):
    """A command was refused; no event was recorded."""

    code: ClassVar[str] = "REFUSED"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(OkrError):
    """A value is malformed or out of its allowed range."""

    code = "INVALID_INPUT"


class NotFound(OkrError):
    """The thing does not exist in the caller's organization."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, id_: UUID | str, field: str | None = None) -> None:
        super().__init__(f"{kind} {quoted(str(id_))} not found", field)
        self.kind = kind


class InvalidLead(OkrError):
    """The lead is not an active person of the objective's organization."""

    code = "INVALID_LEAD"


class InvalidPeriodSpan(OkrError):
    """The objective's kind does not fit the length of its period."""

    code = "INVALID_PERIOD_SPAN"


class InvalidAlignment(OkrError):
    """Alignment must go from an executable objective to a directional one or a key result."""

    code = "INVALID_ALIGNMENT"


class AlignmentCycle(OkrError):
    """The alignment would make the objective its own ancestor."""

    code = "ALIGNMENT_CYCLE"


class ObjectiveLocked(OkrError):
    """The objective is closed or archived; reopen it first."""

    code = "OBJECTIVE_LOCKED"


class PeriodClosed(OkrError):
    """The period is closed; reopen it first."""

    code = "PERIOD_CLOSED"


class InvalidTransition(OkrError):
    """The lifecycle does not allow this step from the current state."""

    code = "INVALID_STATE"


class PolicyViolation(OkrError):
    """The organization's policy forbids this."""

    code = "POLICY_VIOLATION"


class ConcurrencyConflict(OkrError):
    """Someone else changed the same thing at the same time; reload and retry."""

    code = "CONFLICT"


class IdempotencyKeyReused(OkrError):
    """The idempotency key was already used for a different command."""

    code = "IDEMPOTENCY_KEY_REUSED"
