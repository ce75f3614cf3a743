"""The Objective aggregate and its events; the rules it applies live in `objective_lifecycle`,
`objective_people`, `initiative` and `alignment`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain import objective_lifecycle as lifecycle
from okr.domain.alignment import check_alignment
from okr.domain.base import OkrAggregate
from okr.domain.errors import InvalidTransition
from okr.domain.initiative import Initiative, check_initiative_owner, check_known_initiative
from okr.domain.objective_people import check_contributes, check_new_contributor, check_new_lead
from okr.domain.organization import Organization, Person
from okr.domain.period import Period
from okr.domain.values import (
    InitiativeStatus,
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
    check_score,
    clean_text,
    clean_title,
)


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
            aggregate.status = lifecycle.reopened_status(aggregate.archived_from)
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
        lifecycle.check_new_objective(organization, period, lead, kind, level, team_ids)
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
        """See `objective_lifecycle.check_editable`."""
        lifecycle.check_editable(self.status)

    def change_lead(self, actor: str, lead: Person, reason: str) -> None:
        self.check_editable()
        check_new_lead(self.organization_id, self.lead_id, lead)
        self.trigger_event(
            self.LeadChanged,
            actor=actor,
            lead_id=lead.id,
            previous_lead_id=self.lead_id,
            reason=clean_text(reason, "reason", required=True),
        )

    def add_contributor(self, actor: str, person: Person) -> None:
        self.check_editable()
        check_new_contributor(self.organization_id, self.contributor_ids, person)
        self.trigger_event(self.ContributorAdded, actor=actor, person_id=person.id)

    def remove_contributor(self, actor: str, person_id: UUID) -> None:
        self.check_editable()
        check_contributes(self.contributor_ids, person_id)
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
        by the caller, which walks the ancestors (see `alignment.check_no_cycle`)."""
        self.check_editable()
        check_alignment(self, parent, key_result_id, period=period, parent_period=parent_period)
        self.trigger_event(
            self.Aligned,
            actor=actor,
            parent_objective_id=None if key_result_id else parent.id,
            parent_key_result_id=key_result_id,
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
        check_initiative_owner(self.organization_id, owner)
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
        check_known_initiative(self.initiatives, initiative_id)
        self.trigger_event(
            self.InitiativeStatusSet,
            actor=actor,
            initiative_id=initiative_id,
            status=status.value,
        )

    def check_accepts_check_ins(self) -> None:
        """See `objective_lifecycle.check_accepts_check_ins`."""
        lifecycle.check_accepts_check_ins(self.status)

    def activate(self, actor: str) -> None:
        lifecycle.check_can_activate(self.status)
        self.trigger_event(self.Activated, actor=actor)

    def close(self, actor: str, score: float, retrospective: str) -> None:
        lifecycle.check_can_close(self.status)
        self.trigger_event(
            self.Closed,
            actor=actor,
            score=check_score(score),
            retrospective=clean_text(retrospective, "retrospective"),
        )

    def reopen(self, actor: str, reason: str) -> None:
        lifecycle.check_can_reopen(self.status)
        self.trigger_event(
            self.Reopened, actor=actor, reason=clean_text(reason, "reason", required=True)
        )

    def archive(self, actor: str) -> None:
        lifecycle.check_can_archive(self.status)
        self.trigger_event(self.Archived, actor=actor)
