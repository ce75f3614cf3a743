"""Named time boxes; closing one freezes the objectives in it."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.clock import now
from okr.domain.errors import InvalidInput, InvalidTransition, PeriodClosed, quoted
from okr.domain.values import check_year, clean_text, clean_title

QUARTER_MAX_DAYS = 92
MAX_DAYS = 3653
YEAR_MIN_DAYS = 365
LATE_REPORTING = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=5)


def period_name_key(name: str) -> str:
    """How period names compare within an organization: in Unicode's compatibility form
    (NFKC: full-width digits are digits), without invisible format characters, with runs of
    white space as one space, trimmed and case-insensitive."""
    visible = "".join(
        c for c in unicodedata.normalize("NFKC", name) if unicodedata.category(c) != "Cf"
    )
    return " ".join(visible.split()).casefold()


class Period(OkrAggregate):
    """A quarter, a year or a custom range, both ends inclusive."""

    if TYPE_CHECKING:
        name: str
        starts_on: date
        ends_on: date
        closed: bool

    class Created(OkrAggregate.Created):
        name: str
        starts_on: date
        ends_on: date

        def apply(self, aggregate: Period) -> None:
            super().apply(aggregate)
            aggregate.name = self.name
            aggregate.starts_on = self.starts_on
            aggregate.ends_on = self.ends_on
            aggregate.closed = False

    class Closed(OkrAggregate.Event):
        reason: str = ""

        def apply(self, aggregate: Period) -> None:
            aggregate.closed = True

    class Reopened(OkrAggregate.Event):
        reason: str

        def apply(self, aggregate: Period) -> None:
            aggregate.closed = False

    @classmethod
    def create(
        cls, organization_id: UUID, actor: str, name: str, starts_on: date, ends_on: date
    ) -> Period:
        check_year(starts_on.year, "startsOn")
        check_year(ends_on.year, "endsOn")
        if ends_on < starts_on:
            raise InvalidInput("endsOn must not be before startsOn", "endsOn")
        if (ends_on - starts_on).days >= MAX_DAYS:
            raise InvalidInput("a period spans ten years at most", "endsOn")
        clean_name = clean_title(name, "name")
        return cls._create(
            cls.Created,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            name=clean_name,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    @property
    def days(self) -> int:
        """The number of days in the period, both ends included."""
        return (self.ends_on - self.starts_on).days + 1

    def covers(self, other: Period) -> bool:
        """Whether `other` lies wholly within this period."""
        return self.starts_on <= other.starts_on and other.ends_on <= self.ends_on

    def check_effective(self, effective_at: datetime) -> datetime:
        """A check-in's value refers to a day of the period, or up to LATE_REPORTING_DAYS
        after its end (a figure measured just after the close), and not to the future
        beyond CLOCK_SKEW. The day is the one written in `effective_at`'s own offset."""
        day = effective_at.date()
        if not self.starts_on <= day <= self.ends_on + LATE_REPORTING:
            raise InvalidInput(
                f"effectiveAt must lie within period {quoted(self.name)} ({self.starts_on} to "
                f"{self.ends_on}, or up to {LATE_REPORTING.days} days after)",
                "effectiveAt",
            )
        if effective_at > now() + CLOCK_SKEW:
            raise InvalidInput("effectiveAt must not be in the future", "effectiveAt")
        return effective_at

    def check_open(self) -> None:
        if self.closed:
            raise PeriodClosed(f"period {quoted(self.name)} is closed; reopen it first", "periodId")

    def close(self, actor: str, reason: str = "") -> None:
        reason = clean_text(reason, "reason")
        if self.closed:
            raise InvalidTransition("the period is already closed")
        self.trigger_event(self.Closed, actor=actor, reason=reason)

    def reopen(self, actor: str, reason: str) -> None:
        if not self.closed:
            raise InvalidTransition("the period is open")
        self.trigger_event(self.Reopened, actor=actor, reason=clean_text(reason, "reason"))
