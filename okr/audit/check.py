"""The rules engine of `okr check`: fed the log in order, it names every event that broke a rule.

Each event is judged on the state built from the events before it, then applied whatever the
verdict: the log is what it is. Rule names are the codes the commands refuse with, plus
CHECK_IN_ON_DRAFT, DUPLICATE_PERIOD_NAME, ALIGNMENT_TARGET, ORGANIZATION_MISMATCH and
UNREADABLE_EVENT (an event that no longer decodes).
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from okr.audit.alignment import alignment_findings
from okr.audit.findings import Finding, Unreadable, Violation
from okr.audit.references import mismatches
from okr.audit.state import LogState, ObjectiveState, name_key
from okr.domain.base import OkrAggregate
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.period import QUARTER_MAX_DAYS, YEAR_MIN_DAYS, Period
from okr.domain.values import (
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
    PersonalObjectivePolicy,
)

DRAFT, ACTIVE = ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE
CLOSED, ARCHIVED = ObjectiveStatus.CLOSED, ObjectiveStatus.ARCHIVED
LIFECYCLE: list[tuple[type[OkrAggregate.Event], str, tuple[ObjectiveStatus, ...]]] = [
    (Objective.Activated, "activated", (DRAFT,)),
    (Objective.Closed, "closed", (ACTIVE,)),
    (Objective.Reopened, "reopened", (CLOSED, ARCHIVED)),
    (Objective.Archived, "archived", (DRAFT, ACTIVE, CLOSED)),
]
KEY_RESULT_CHANGES = (
    KeyResult.TargetRevised,
    KeyResult.CheckInRecorded,
    KeyResult.CheckInCorrected,
)


class RuleChecker:
    """Re-validates the domain's rules over a log fed to it in global order."""

    def __init__(self) -> None:
        self.state = LogState()
        self.checked = 0

    def feed(self, position: int, event: OkrAggregate.Event | Unreadable) -> list[Violation]:
        """The rules `event` broke, judged on the events fed before it."""
        self.checked += 1
        if isinstance(event, Unreadable):
            message = f"cannot be read, later verdicts may miss its effect: {event.error}"
            ids = (event.aggregate_id,)
            return [Violation(position, "UNREADABLE_EVENT", event.topic, ids, message)]
        kind = type(event).__qualname__
        found = [Violation(position, f.rule, kind, f.ids, f.message) for f in self._judge(event)]
        self.state.apply(event)
        return found

    def _judge(self, event: OkrAggregate.Event) -> Iterator[Finding]:
        subject = event.originator_id
        yield from mismatches(self.state, event)
        if isinstance(event, Period.Created):
            first = self.state.period_names.get((event.organization_id, name_key(event.name)))
            if first is not None:
                yield Finding(
                    "DUPLICATE_PERIOD_NAME",
                    (subject, first),
                    f"period name {event.name!r} is already used by period {first}",
                )
        elif isinstance(event, Objective.Created):
            yield from self._created(event)
        elif isinstance(event, KeyResult.Created):
            objective = self.state.objectives.get(event.objective_id)
            if objective is not None:
                yield from self._editable((subject, event.objective_id), objective)
        elif isinstance(event, KEY_RESULT_CHANGES):
            yield from self._key_result_changed(event)
        elif (objective := self.state.objectives.get(subject)) is not None:
            yield from self._objective_changed(event, objective)

    def _created(self, event: Objective.Created) -> Iterator[Finding]:
        subject = event.originator_id
        yield from self._lead(subject, event.organization_id, event.lead_id)
        policy = self.state.policies.get(event.organization_id)
        if event.level == ObjectiveLevel.PERSONAL and policy is PersonalObjectivePolicy.DISALLOW:
            yield Finding(
                "POLICY_VIOLATION",
                (subject, event.organization_id),
                "the organization does not allow personal objectives",
            )
        period = self.state.periods.get(event.period_id)
        if period is None:
            return
        ids = (subject, event.period_id)
        if period.closed:
            yield Finding("PERIOD_CLOSED", ids, f"period {period.name} is closed")
        executable = event.kind == ObjectiveKind.EXECUTABLE
        if period.days > QUARTER_MAX_DAYS if executable else period.days < YEAR_MIN_DAYS:
            yield Finding(
                "INVALID_PERIOD_SPAN",
                ids,
                f"a {event.kind.lower()} objective cannot span {period.days} days",
            )

    def _objective_changed(
        self, event: OkrAggregate.Event, objective: ObjectiveState
    ) -> Iterator[Finding]:
        subject = event.originator_id
        step = next((s for s in LIFECYCLE if isinstance(event, s[0])), None)
        if step is None:
            yield from self._editable((subject,), objective)
        else:
            _, verb, allowed = step
            if objective.status not in allowed:
                status = objective.status.value.lower()
                yield Finding("INVALID_STATE", (subject,), f"a {status} objective was {verb}")
            if not isinstance(event, Objective.Closed):
                yield from self._period_open((subject,), objective)
        if isinstance(event, Objective.LeadChanged):
            yield from self._lead(subject, event.organization_id, event.lead_id)
        if isinstance(event, Objective.Aligned):
            yield from alignment_findings(self.state, event, objective)

    def _key_result_changed(self, event: OkrAggregate.Event) -> Iterator[Finding]:
        key_result = self.state.key_results.get(event.originator_id)
        if key_result is None or key_result.objective_id not in self.state.objectives:
            return
        objective = self.state.objectives[key_result.objective_id]
        ids = (event.originator_id, key_result.objective_id)
        yield from self._editable(ids, objective)
        if isinstance(event, KeyResult.CheckInRecorded) and objective.status is DRAFT:
            yield Finding("CHECK_IN_ON_DRAFT", ids, "the objective is still a draft")

    def _editable(self, ids: tuple[UUID, ...], objective: ObjectiveState) -> Iterator[Finding]:
        if objective.status in (CLOSED, ARCHIVED):
            status = objective.status.value.lower()
            yield Finding("OBJECTIVE_LOCKED", ids, f"the objective is {status}")
        yield from self._period_open(ids, objective)

    def _period_open(self, ids: tuple[UUID, ...], objective: ObjectiveState) -> Iterator[Finding]:
        period = self.state.periods.get(objective.period_id)
        if period is not None and period.closed:
            yield Finding(
                "PERIOD_CLOSED", (*ids, objective.period_id), f"period {period.name} is closed"
            )

    def _lead(self, subject: UUID, organization_id: UUID, lead_id: UUID) -> Iterator[Finding]:
        lead = self.state.people.get(lead_id)
        if lead is None:
            problem = "is not a known person"
        elif lead.organization_id != organization_id:
            problem = f"belongs to organization {lead.organization_id}"
        elif not lead.active:
            problem = "has left the organization"
        else:
            return
        yield Finding("INVALID_LEAD", (subject, lead_id), f"lead {lead_id} {problem}")
