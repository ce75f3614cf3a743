"""Bringing a log written by an older version up to today's rules, where a rule needs
records that older versions did not write."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.utils import get_topic

from okr.domain.period import Period
from okr.domain.period_name import PeriodName, period_name_id
from okr.services.append_condition import StaleRead

ACTOR = "system:upgrade"
BATCH = 1000


@dataclass
class NameClaims:
    """What claiming the names of existing periods did."""

    claimed: int = 0
    already: int = 0
    duplicates: list[tuple[UUID, UUID]] = field(default_factory=list)


def claim_period_names(app: Application[UUID]) -> NameClaims:
    """Claim the name of every period that has no claim yet, oldest first.

    Older versions wrote no claims, so until this has run, a new period could take the name
    of an older one. A period whose name an earlier period already holds is listed in
    `duplicates` as (period, holder); `okr check` reports it as DUPLICATE_PERIOD_NAME. Running
    this again claims nothing twice."""
    report = NameClaims()
    after = 0
    topic = get_topic(Period.Created)
    while batch := app.recorder.select_notifications(
        start=after, limit=BATCH, topics=[topic], inclusive_of_start=False
    ):
        for notification in batch:
            created: Period.Created = app.mapper.to_domain_event(notification)  # type: ignore[assignment]
            _claim(app, created, report)
        after = batch[-1].id
    return report


def _claim(app: Application[UUID], created: Period.Created, report: NameClaims) -> None:
    period_id = created.originator_id
    claim_id = period_name_id(created.organization_id, created.name)
    try:
        holder: PeriodName = app.repository.get(claim_id)
    except AggregateNotFoundError:
        claim = PeriodName.claim(created.organization_id, ACTOR, created.name, period_id)
        try:
            app.save(claim)
        except StaleRead:
            holder = app.repository.get(claim_id)
        else:
            report.claimed += 1
            return
    if holder.period_id == period_id:
        report.already += 1
    else:
        report.duplicates.append((period_id, holder.period_id))
