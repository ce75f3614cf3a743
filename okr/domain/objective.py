"""Objectives: one lead, contributors, alignment, initiatives and a lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.errors import (
    AlignmentCycle,
    InvalidAlignment,
    InvalidInput,
    InvalidLead,
    InvalidPeriodSpan,
    InvalidTransition,
    ObjectiveLocked,
    PolicyViolation,
    quoted,
)
from okr.domain.organization import Organization, Person
from okr.domain.period import QUARTER_MAX_DAYS, YEAR_MIN_DAYS, Period
from okr.domain.values import (
    InitiativeStatus,
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
    PersonalObjectivePolicy,
    check_score,
    clean_text,
    clean_title,
)

MAX_ALIGNMENT_DEPTH = 100


@dataclass(frozen=True)
class Initiative:
    """Work hoped to move the key results; it never counts toward progress."""

    id: UUID
    title: str
    owner_id: UUID
    status: InitiativeStatus


def check_lead(organization_id: UUID, lead: Person) -> None:
    """A lead is an active person of the objective's organization."""
    if lead.organization_id != organization_id or not lead.active:
        raise InvalidLead("the lead must be an active person of the organization", "leadId")


def check_span(kind: ObjectiveKind, period: Period) -> None:
    """Executable objectives span a quarter at most; directional ones a year at least."""
    if kind is ObjectiveKind.EXECUTABLE and period.days > QUARTER_MAX_DAYS:
        raise InvalidPeriodSpan("an executable objective spans a quarter at most", "periodId")
    if kind is ObjectiveKind.DIRECTIONAL and period.days < YEAR_MIN_DAYS:
        raise InvalidPeriodSpan("a directional objective spans a year at least", "periodId")


def check_new_objective(
    organization: Organization,
    period: Period,
    lead: Person,
    kind: ObjectiveKind,
    level: ObjectiveLevel,
    team_ids: tuple[UUID, ...],
) -> None:
    """An objective is created in an open period of a span that fits its kind, led by an
    active person, at a level the organization's policy allows, naming its teams once each."""
    period.check_open()
    check_lead(organization.id, lead)
    check_span(kind, period)
    if (
        level is ObjectiveLevel.PERSONAL
        and organization.personal_objectives is PersonalObjectivePolicy.DISALLOW
    ):
        raise PolicyViolation("the organization does not allow personal objectives", "level")
    if level is ObjectiveLevel.TEAM and not team_ids:
        raise InvalidInput("a team objective names at least one team", "teamIds")
    if len(set(team_ids)) != len(team_ids):
        raise InvalidInput("teams must not repeat", "teamIds")


def check_one_parent(parent_objective_id: UUID | None, parent_key_result_id: UUID | None) -> None:
    """An alignment names a parent objective or a parent key result, not both."""
    if (parent_objective_id is None) == (parent_key_result_id is None):
        raise InvalidInput("name either a parent objective or a parent key result", "parentId")


class Objective(OkrAggregate):
    """An objective of a period, owned by the organization or by teams."""

    if TYPE_CHECKING:
        title: str
        description: str
        kind: ObjectiveKind
        level: ObjectiveLevel
        period_id: UUID
        team_ids: tuple[UUID, ...]
        lead_id: UUID
        contributor_ids: list[UUID]
        aligned_to_objective_id: UUID | None
        aligned_to_key_result_id: UUID | None
        key_result_ids: list[UUID]
        initiatives: dict[UUID, Initiative]
        status: ObjectiveStatus
        archived_from: ObjectiveStatus | None
        score: float | None
        retrospective: str

    class Created(OkrAggregate.Created):
        title: str
        description: str
        kind: str
        level: str
        period_id: UUID
        team_ids: list[UUID]
        lead_id: UUID

        def apply(self, aggregate: Objective) -> None:
            super().apply(aggregate)
            aggregate.title = self.title
            aggregate.description = self.description
            aggregate.kind = ObjectiveKind(self.kind)
            aggregate.level = ObjectiveLevel(self.level)
            aggregate.period_id = self.period_id
            aggregate.team_ids = tuple(self.team_ids)
            aggregate.lead_id = self.lead_id
            aggregate.contributor_ids = []
            aggregate.aligned_to_objective_id = None
            aggregate.aligned_to_key_result_id = None
            aggregate.key_result_ids = []
            aggregate.initiatives = {}
            aggregate.status = ObjectiveStatus.DRAFT
            aggregate.archived_from = None
            aggregate.score = None
            aggregate.retrospective = ""

    class LeadChanged(OkrAggregate.Event):
        lead_id: UUID
        previous_lead_id: UUID
        reason: str

        def apply(self, aggregate: Objective) -> None:
            aggregate.lead_id = self.lead_id

    class ContributorAdded(OkrAggregate.Event):
        person_id: UUID

        def apply(self, aggregate: Objective) -> None:
            aggregate.contributor_ids.append(self.person_id)

    class ContributorRemoved(OkrAggregate.Event):
        person_id: UUID

        def apply(self, aggregate: Objective) -> None:
            aggregate.contributor_ids.remove(self.person_id)

    class Aligned(OkrAggregate.Event):
        parent_objective_id: UUID | None
        parent_key_result_id: UUID | None

        def apply(self, aggregate: Objective) -> None:
            aggregate.aligned_to_objective_id = self.parent_objective_id
            aggregate.aligned_to_key_result_id = self.parent_key_result_id

    class Unaligned(OkrAggregate.Event):
        reason: str

        def apply(self, aggregate: Objective) -> None:
            aggregate.aligned_to_objective_id = None
            aggregate.aligned_to_key_result_id = None

    class KeyResultAdded(OkrAggregate.Event):
        key_result_id: UUID

        def apply(self, aggregate: Objective) -> None:
            aggregate.key_result_ids.append(self.key_result_id)

    class InitiativeAdded(OkrAggregate.Event):
        initiative_id: UUID
        title: str
        owner_id: UUID

        def apply(self, aggregate: Objective) -> None:
            aggregate.initiatives[self.initiative_id] = Initiative(
                self.initiative_id, self.title, self.owner_id, InitiativeStatus.PLANNED
            )

    class InitiativeStatusSet(OkrAggregate.Event):
        initiative_id: UUID
        status: str

        def apply(self, aggregate: Objective) -> None:
            initiative = aggregate.initiatives[self.initiative_id]
            aggregate.initiatives[self.initiative_id] = replace(
                initiative, status=InitiativeStatus(self.status)
            )

    class Activated(OkrAggregate.Event):
        def apply(self, aggregate: Objective) -> None:
            aggregate.status = ObjectiveStatus.ACTIVE

    class Closed(OkrAggregate.Event):
        score: float
        retrospective: str

        def apply(self, aggregate: Objective) -> None:
            aggregate.status = ObjectiveStatus.CLOSED
            aggregate.score = self.score
            aggregate.retrospective = self.retrospective

    class Reopened(OkrAggregate.Event):
        reason: str

        def apply(self, aggregate: Objective) -> None:
            was_draft = aggregate.archived_from is ObjectiveStatus.DRAFT
            aggregate.status = ObjectiveStatus.DRAFT if was_draft else ObjectiveStatus.ACTIVE
            aggregate.score = None
            aggregate.archived_from = None

    class Archived(OkrAggregate.Event):
        def apply(self, aggregate: Objective) -> None:
            aggregate.archived_from = aggregate.status
            aggregate.status = ObjectiveStatus.ARCHIVED

    @classmethod
    def create(
        cls,
        actor: str,
        organization: Organization,
        period: Period,
        lead: Person,
        *,
        title: str,
        kind: ObjectiveKind,
        level: ObjectiveLevel,
        team_ids: tuple[UUID, ...] = (),
        description: str = "",
    ) -> Objective:
        check_new_objective(organization, period, lead, kind, level, team_ids)
        return cls._create(
            cls.Created,
            id=uuid4(),
            organization_id=organization.id,
            actor=actor,
            title=clean_title(title),
            description=clean_text(description, "description"),
            kind=kind.value,
            level=level.value,
            period_id=period.id,
            team_ids=list(team_ids),
            lead_id=lead.id,
        )

    def check_editable(self) -> None:
        if self.status in (ObjectiveStatus.CLOSED, ObjectiveStatus.ARCHIVED):
            raise ObjectiveLocked(
                f"the objective is {self.status.value.lower()}; reopen it first", "objectiveId"
            )

    def change_lead(self, actor: str, lead: Person, reason: str) -> None:
        self.check_editable()
        check_lead(self.organization_id, lead)
        if lead.id == self.lead_id:
            raise InvalidInput("that person already leads the objective", "leadId")
        self.trigger_event(
            self.LeadChanged,
            actor=actor,
            lead_id=lead.id,
            previous_lead_id=self.lead_id,
            reason=clean_text(reason, "reason", required=True),
        )

    def add_contributor(self, actor: str, person: Person) -> None:
        self.check_editable()
        if person.organization_id != self.organization_id or not person.active:
            raise InvalidInput("a contributor is an active person of the organization", "personId")
        if person.id in self.contributor_ids:
            raise InvalidInput("the person already contributes", "personId")
        self.trigger_event(self.ContributorAdded, actor=actor, person_id=person.id)

    def remove_contributor(self, actor: str, person_id: UUID) -> None:
        self.check_editable()
        if person_id not in self.contributor_ids:
            raise InvalidInput("the person does not contribute", "personId")
        self.trigger_event(self.ContributorRemoved, actor=actor, person_id=person_id)

    def align_to(
        self,
        actor: str,
        parent: Objective,
        key_result_id: UUID | None,
        *,
        period: Period,
        parent_period: Period,
    ) -> None:
        """Align under `parent`, or under its key result `key_result_id`; cycles are checked
        by the caller, which walks the ancestors (see `check_no_cycle`)."""
        self.check_editable()
        self.check_alignment(parent, key_result_id, period=period, parent_period=parent_period)
        self.trigger_event(
            self.Aligned,
            actor=actor,
            parent_objective_id=None if key_result_id else parent.id,
            parent_key_result_id=key_result_id,
        )

    def check_alignment(
        self,
        parent: Objective,
        key_result_id: UUID | None,
        *,
        period: Period,
        parent_period: Period,
    ) -> None:
        """An executable objective aligns to a directional objective of its organization, or to
        a key result of one of its objectives, not archived, whose period covers its own."""
        if self.kind is not ObjectiveKind.EXECUTABLE:
            raise InvalidAlignment("only an executable objective can be aligned", "objectiveId")
        if parent.organization_id != self.organization_id:
            raise InvalidAlignment("alignment stays within one organization", "parentId")
        if key_result_id is None and parent.kind is not ObjectiveKind.DIRECTIONAL:
            raise InvalidAlignment(
                "an objective aligns to a directional objective or to a key result", "parentId"
            )
        if parent.status is ObjectiveStatus.ARCHIVED:
            raise InvalidAlignment("an objective cannot align to an archived one", "parentId")
        if not parent_period.covers(period):
            raise InvalidAlignment(
                f"the parent's period {quoted(parent_period.name)} does not cover "
                f"{quoted(period.name)}",
                "parentId",
            )

    def unalign(self, actor: str, reason: str) -> None:
        self.check_editable()
        if self.aligned_to_objective_id is None and self.aligned_to_key_result_id is None:
            raise InvalidTransition("the objective is not aligned")
        self.trigger_event(self.Unaligned, actor=actor, reason=clean_text(reason, "reason"))

    def record_key_result(self, actor: str, key_result_id: UUID) -> None:
        self.check_editable()
        self.trigger_event(self.KeyResultAdded, actor=actor, key_result_id=key_result_id)

    def add_initiative(self, actor: str, title: str, owner: Person) -> UUID:
        self.check_editable()
        if owner.organization_id != self.organization_id or not owner.active:
            raise InvalidInput("an initiative's owner is an active person", "ownerId")
        initiative_id = uuid4()
        self.trigger_event(
            self.InitiativeAdded,
            actor=actor,
            initiative_id=initiative_id,
            title=clean_title(title),
            owner_id=owner.id,
        )
        return initiative_id

    def set_initiative_status(
        self, actor: str, initiative_id: UUID, status: InitiativeStatus
    ) -> None:
        self.check_editable()
        if initiative_id not in self.initiatives:
            raise InvalidInput(f"initiative {initiative_id} not found", "initiativeId")
        self.trigger_event(
            self.InitiativeStatusSet,
            actor=actor,
            initiative_id=initiative_id,
            status=status.value,
        )

    def check_accepts_check_ins(self) -> None:
        """Check-ins go to an active objective: not a draft, nor a closed or archived one."""
        self.check_editable()
        if self.status is ObjectiveStatus.DRAFT:
            raise InvalidTransition(
                "the objective is a draft; activate it before checking in", "objectiveId"
            )

    def check_can_activate(self) -> None:
        if self.status is not ObjectiveStatus.DRAFT:
            raise InvalidTransition("only a draft objective can be activated")

    def check_can_close(self) -> None:
        if self.status is not ObjectiveStatus.ACTIVE:
            raise InvalidTransition("only an active objective can be closed")

    def check_can_reopen(self) -> None:
        if self.status not in (ObjectiveStatus.CLOSED, ObjectiveStatus.ARCHIVED):
            raise InvalidTransition("only a closed or archived objective can be reopened")

    def check_can_archive(self) -> None:
        if self.status is ObjectiveStatus.ARCHIVED:
            raise InvalidTransition("the objective is already archived")

    def activate(self, actor: str) -> None:
        self.check_can_activate()
        self.trigger_event(self.Activated, actor=actor)

    def close(self, actor: str, score: float, retrospective: str) -> None:
        self.check_can_close()
        self.trigger_event(
            self.Closed,
            actor=actor,
            score=check_score(score),
            retrospective=clean_text(retrospective, "retrospective"),
        )

    def reopen(self, actor: str, reason: str) -> None:
        self.check_can_reopen()
        self.trigger_event(
            self.Reopened, actor=actor, reason=clean_text(reason, "reason", required=True)
        )

    def archive(self, actor: str) -> None:
        self.check_can_archive()
        self.trigger_event(self.Archived, actor=actor)


def ancestor_ids(parent: Objective, above: Callable[[Objective], Objective | None]) -> list[UUID]:
    """`parent` and the objectives above it, nearest first, at most MAX_ALIGNMENT_DEPTH;
    `above` finds the objective one aligns under, directly or through a key result. Each is
    visited once, so a cycle already in an old log cannot trap the walk."""
    chain: list[UUID] = []
    node: Objective | None = parent
    while node is not None and node.id not in chain and len(chain) < MAX_ALIGNMENT_DEPTH:
        chain.append(node.id)
        node = above(node)
    return chain


def check_no_cycle(objective_id: UUID, ancestor_ids: list[UUID]) -> None:
    """Refuse an alignment whose chain of ancestors leads back to the objective itself."""
    if objective_id in ancestor_ids:
        raise AlignmentCycle("the alignment would create a cycle", "parentId")
