"""Recognition and feedback notes: the conversation side of OKRs (CFR)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from okr.domain.base import OkrAggregate
from okr.domain.errors import InvalidInput
from okr.domain.values import FeedbackKind, clean_text


class Recognition(OkrAggregate):
    """A short note to a person about an objective or a key result."""

    if TYPE_CHECKING:
        person_id: UUID
        objective_id: UUID | None
        key_result_id: UUID | None
        kind: FeedbackKind
        message: str

    class Given(OkrAggregate.Created):
        person_id: UUID
        objective_id: UUID | None
        key_result_id: UUID | None
        kind: str
        message: str

        def apply(self, aggregate: Recognition) -> None:
            super().apply(aggregate)
            aggregate.person_id = self.person_id
            aggregate.objective_id = self.objective_id
            aggregate.key_result_id = self.key_result_id
            aggregate.kind = FeedbackKind(self.kind)
            aggregate.message = self.message

    @classmethod
    def give(
        cls,
        organization_id: UUID,
        actor: str,
        *,
        person_id: UUID,
        kind: FeedbackKind,
        message: str,
        objective_id: UUID | None = None,
        key_result_id: UUID | None = None,
    ) -> Recognition:
        if (objective_id is None) == (key_result_id is None):
            raise InvalidInput("name either an objective or a key result", "objectiveId")
        return cls._create(
            cls.Given,
            id=uuid4(),
            organization_id=organization_id,
            actor=actor,
            person_id=person_id,
            objective_id=objective_id,
            key_result_id=key_result_id,
            kind=kind.value,
            message=clean_text(message, "message", required=True),
        )
