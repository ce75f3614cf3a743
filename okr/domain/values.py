"""Enumerations and the validation rules for plain values."""

from __future__ import annotations

import math
import re
from enum import StrEnum

from okr.domain.errors import InvalidInput

TITLE_MAX = 200
TEXT_MAX = 5000
MAGNITUDE_MAX = 1e15
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
_UNSAFE = r"\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
_UNSAFE_IN_TEXT = re.compile(rf"[\x00-\x08\x0b-\x1f{_UNSAFE}]")
_UNSAFE_IN_LINE = re.compile(rf"[\x00-\x1f{_UNSAFE}\u200b\u2060]")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class PersonalObjectivePolicy(StrEnum):
    DISALLOW = "DISALLOW"
    WARN = "WARN"
    ALLOW = "ALLOW"


class ObjectiveKind(StrEnum):
    DIRECTIONAL = "DIRECTIONAL"
    EXECUTABLE = "EXECUTABLE"


class ObjectiveLevel(StrEnum):
    COMPANY = "COMPANY"
    TEAM = "TEAM"
    PERSONAL = "PERSONAL"


class ObjectiveStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"
    ARCHIVED = "ARCHIVED"


class Metric(StrEnum):
    INCREASE_TO = "INCREASE_TO"
    DECREASE_TO = "DECREASE_TO"
    STAY_ABOVE = "STAY_ABOVE"
    STAY_BELOW = "STAY_BELOW"
    BINARY = "BINARY"
    MILESTONE = "MILESTONE"


class InitiativeStatus(StrEnum):
    PLANNED = "PLANNED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    DROPPED = "DROPPED"


class FeedbackKind(StrEnum):
    RECOGNITION = "RECOGNITION"
    FEEDBACK = "FEEDBACK"


def printable(text: str, field: str, *, multiline: bool = False) -> str:
    """Text that UTF-8 can encode, without C0 or C1 control characters (U+0000-U+001F,
    U+007F-U+009F), bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069),
    line and paragraph separators (U+2028, U+2029) or byte-order marks (U+FEFF); one-line
    text refuses the invisible zero-width space and word joiner (U+200B, U+2060) too.
    Multi-line text may keep tabs and newlines; carriage returns are refused like the rest."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{field} is not valid Unicode text", field) from None
    if (_UNSAFE_IN_TEXT if multiline else _UNSAFE_IN_LINE).search(text):
        raise InvalidInput(
            f"{field} must not contain control, invisible or bidirectional formatting characters",
            field,
        )
    return text


def clean_title(title: str, field: str = "title") -> str:
    """The trimmed title: one line of 1 to 200 characters (no tabs or newlines)."""
    trimmed = printable(title, field).strip()
    if not 1 <= len(trimmed) <= TITLE_MAX:
        raise InvalidInput(f"{field} must be 1 to {TITLE_MAX} characters", field)
    return trimmed


def clean_text(text: str, field: str, *, required: bool = False, multiline: bool = True) -> str:
    """Trimmed free text of at most 5000 characters, which may keep tabs and newlines unless
    `multiline` is false; required text must not be blank."""
    trimmed = printable(text, field, multiline=multiline).strip()
    if required and not trimmed:
        raise InvalidInput(f"{field} is required", field)
    if len(trimmed) > TEXT_MAX:
        raise InvalidInput(f"{field} must be at most {TEXT_MAX} characters", field)
    return trimmed


def finite(value: float, field: str) -> float:
    """`value` as a float within ±1e15; NaN and infinities are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{field} must be a finite number", field)
    if abs(value) > MAGNITUDE_MAX:
        raise InvalidInput(f"{field} must be between -1e15 and 1e15", field)
    return float(value)


def check_year(year: int, field: str) -> None:
    """Dates and times fall between 1900 and 2200."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InvalidInput(f"{field} must fall between {EARLIEST_YEAR} and {LATEST_YEAR}", field)


def check_confidence(confidence: int) -> int:
    """A confidence is a whole number from 0 to 10."""
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 0 <= confidence <= 10:
        raise InvalidInput("confidence must be a whole number from 0 to 10", "confidence")
    return confidence


def check_score(score: float) -> float:
    """A grade is a finite number from 0.0 to 1.0."""
    value = finite(score, "score")
    if not 0.0 <= value <= 1.0:
        raise InvalidInput("score must be from 0.0 to 1.0", "score")
    return value


def check_unit(unit: str) -> str:
    """NUMBER, PERCENT or an ISO 4217 currency code such as EUR."""
    if unit in ("NUMBER", "PERCENT") or _CURRENCY.match(unit):
        return unit
    raise InvalidInput("unit must be NUMBER, PERCENT or a currency code like EUR", "unit")
