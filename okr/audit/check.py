"""The rules engine of `okr check`: fed the log in order, it names every event that broke a rule.

Each event is judged on the state the events before it built, by the checks the commands run:
a refusal's code is the rule broken and its message the reason. The event is then applied
whatever the verdict: the log is what it is. Four rules have no domain error:
DUPLICATE_PERIOD_NAME (old logs gave periods random ids), ORGANIZATION_MISMATCH (see
`references`), UNREADABLE_EVENT (an event that no longer decodes) and INAPPLICABLE_EVENT (one
its aggregate's state cannot take, such as removing someone who never contributed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from uuid import UUID

from okr.audit.alignment import alignment_breaches
from okr.audit.findings import Breach, Unreadable, Violation, refusal
from okr.audit.references import mismatches
from okr.audit.state import LogState, known
from okr.domain.base import OkrAggregate
from okr.domain.errors import NotFound, quoted
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.objective_lifecycle import (
    check_can_activate,
    check_can_archive,
    check_can_close,
    check_can_reopen,
    check_editable,
    check_new_objective,
)
from okr.domain.objective_people import check_lead
from okr.domain.period import Period, period_name_key
from okr.domain.values import ObjectiveKind, ObjectiveLevel, ObjectiveStatus

STEPS: dict[type[OkrAggregate.Event], Callable[[ObjectiveStatus], None]] = {
    Objective.Activated: check_can_activate,
    Objective.Closed: check_can_close,
    Objective.Reopened: check_can_reopen,
    Objective.Archived: check_can_archive,
}
CHECK_INS = (KeyResult.CheckInRecorded, KeyResult.CheckInCorrected)


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
        breaches = [*mismatches(self.state, event), *self._judge(event)]
        try:
            self.state.apply(event)
        except (LookupError, ValueError, TypeError) as error:
            message = f"its aggregate's state cannot take it: {error!r}"
            breaches.append(Breach("INAPPLICABLE_EVENT", (event.originator_id,), message))
        kind = type(event).__qualname__
        return [Violation(position, b.rule, kind, b.ids, b.message) for b in breaches]

    def _judge(self, event: OkrAggregate.Event) -> Iterator[Breach]:
        subject = event.originator_id
        if isinstance(event, Period.Created):
            first = self.state.period_names.get(
                (event.organization_id, period_name_key(event.name))
            )
            if first is not None:
                message = f"period name {quoted(event.name)} is already used by period {first}"
                yield Breach("DUPLICATE_PERIOD_NAME", (subject, first), message)
        elif isinstance(event, Objective.Created):
            yield from self._created(event)
        elif isinstance(event, KeyResult.Created):
            ids = (subject, event.objective_id)
            if (objective := self.state.objectives.get(event.objective_id)) is None:
                yield Breach.of(NotFound("Objective", event.objective_id, "objectiveId"), ids)
            else:
                yield from self._change(ids, objective, objective.check_editable)
        elif isinstance(event, KeyResult.Event):
            if (objective := self.state.objective_of(subject)) is not None:
                accepts = isinstance(event, CHECK_INS)
                check = objective.check_accepts_check_ins if accepts else objective.check_editable
                yield from self._change((subject, objective.id), objective, check)
        elif (objective := self.state.objectives.get(subject)) is not None:
            yield from self._objective_changed(event, objective)

    def _created(self, event: Objective.Created) -> Iterator[Breach]:
        state, organization_id = self.state, event.organization_id

        def check() -> None:
            check_new_objective(
                known(
                    state.organizations.get(organization_id),
                    "Organization",
                    organization_id,
                    "organizationId",
                ),
                known(state.periods.get(event.period_id), "Period", event.period_id, "periodId"),
                known(state.people.get(event.lead_id), "Person", event.lead_id, "leadId"),
                ObjectiveKind(event.kind),
                ObjectiveLevel(event.level),
                tuple(event.team_ids),
            )

        named = {
            "organizationId": organization_id,
            "periodId": event.period_id,
            "leadId": event.lead_id,
        }
        yield from refusal((event.originator_id,), check, named)

    def _objective_changed(
        self, event: OkrAggregate.Event, objective: Objective
    ) -> Iterator[Breach]:
        ids = (event.originator_id,)
        step = partial(STEPS.get(type(event), check_editable), objective.status)
        if isinstance(event, Objective.Closed):
            yield from refusal(ids, step)
        else:
            yield from self._change(ids, objective, step)
        if isinstance(event, Objective.LeadChanged):
            lead = self.state.people.get(event.lead_id)
            yield from refusal(
                ids,
                lambda: check_lead(
                    objective.organization_id, known(lead, "Person", event.lead_id, "leadId")
                ),
                {"leadId": event.lead_id},
            )
        if isinstance(event, Objective.Aligned):
            yield from alignment_breaches(self.state, event, objective)

    def _change(
        self, ids: tuple[UUID, ...], objective: Objective, check: Callable[[], object]
    ) -> Iterator[Breach]:
        """PERIOD_CLOSED if the objective's period is closed, then what `check` refuses:
        a change to an objective or to its key results, grading aside."""
        period = self.state.periods.get(objective.period_id)
        if period is not None:
            yield from refusal(ids, period.check_open, {"periodId": period.id})
        yield from refusal(ids, check)
