"""Which aggregates an event touches, and which of them belong to another organization."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from okr.audit.findings import Breach
from okr.audit.state import LogState
from okr.domain.base import OkrAggregate
from okr.domain.key_result import KeyResult
from okr.domain.kpi import Kpi
from okr.domain.objective import Objective
from okr.domain.recognition import Recognition
from okr.domain.team import Team


def referenced(event: OkrAggregate.Event) -> Iterator[UUID | None]:
    """The other aggregates `event` names; a lead and an alignment's parent are left to the
    domain's INVALID_LEAD and INVALID_ALIGNMENT."""
    match event:
        case Objective.Created():
            yield event.period_id
            yield from event.team_ids
        case Objective.ContributorAdded() | Team.MemberAdded():
            yield event.person_id
        case Objective.InitiativeAdded():
            yield event.owner_id
        case Objective.KeyResultAdded():
            yield event.key_result_id
        case KeyResult.Created():
            yield event.objective_id
        case Kpi.Created():
            yield event.person_id
            yield event.team_id
        case Recognition.Given():
            yield event.person_id
            yield event.objective_id
            yield event.key_result_id


def mismatches(state: LogState, event: OkrAggregate.Event) -> Iterator[Breach]:
    """ORGANIZATION_MISMATCH for each known aggregate of another organization that `event`
    touches, its own aggregate included."""
    subject = event.originator_id
    touched = list(referenced(event))
    if not isinstance(event, OkrAggregate.Created):
        touched.insert(0, subject)
    for other in dict.fromkeys(touched):
        owner = None if other is None else state.owner(other)
        if other is None or owner is None or owner == event.organization_id:
            continue
        yield Breach(
            "ORGANIZATION_MISMATCH",
            (subject,) if other == subject else (subject, other),
            f"{other} belongs to organization {owner}, the event to {event.organization_id}",
        )
