"""A command is plain data: what someone asked the ledger to do, handled by one function."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import Enum
from typing import Any, ClassVar


def _normal(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


@dataclass(frozen=True)
class Command:
    """An instruction to change the ledger.

    `command_name` identifies the command in idempotency records; `retry` marks a command whose
    intent survives a concurrent change to what it changes (a check-in or a contributor is
    added whatever happened meanwhile, and a re-run re-applies every rule), so it is re-run on
    fresh state rather than refused with CONFLICT.
    """

    command_name: ClassVar[str]
    retry: ClassVar[bool] = False

    def __init_subclass__(cls, command_name: str = "", retry: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.command_name = command_name or re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        cls.retry = retry

    def fingerprint(self) -> str:
        """What the command asks for, independent of how its values were written (a time
        in another zone, a tuple or a list): compared when an idempotency key is reused."""
        normal = [(f.name, _normal(getattr(self, f.name))) for f in fields(self)]
        return hashlib.sha256(repr(normal).encode()).hexdigest()
