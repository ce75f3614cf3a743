"""The first result of a command sent with an idempotency key, saved with its events."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from okr.domain.base import OkrAggregate
from okr.domain.errors import IdempotencyKeyReused, InvalidInput
from okr.domain.values import printable

KEY_MAX = 200


def idempotency_record_id(organization_id: UUID, actor: str, key: str) -> UUID:
    """The record's id is derived from the actor's key, so two retries contend for one
    aggregate, and two actors' keys never meet."""
    if not 1 <= len(printable(key, "idempotencyKey")) <= KEY_MAX:
        raise InvalidInput(f"idempotencyKey must be 1 to {KEY_MAX} characters", "idempotencyKey")
    return uuid5(NAMESPACE_URL, f"okr:idempotency:{organization_id}:{actor}:{key}")


class IdempotencyRecord(OkrAggregate):
    """Remembers which command a key was used for and what it returned."""

    if TYPE_CHECKING:
        command: str
        fingerprint: str
        result_id: UUID

    class Recorded(OkrAggregate.Created):
        command: str
        fingerprint: str
        result_id: UUID

        def apply(self, aggregate: IdempotencyRecord) -> None:
            super().apply(aggregate)
            aggregate.command = self.command
            aggregate.fingerprint = self.fingerprint
            aggregate.result_id = self.result_id

    @classmethod
    def record(
        cls,
        organization_id: UUID,
        actor: str,
        key: str,
        command: str,
        fingerprint: str,
        result_id: UUID,
    ) -> IdempotencyRecord:
        return cls._create(
            cls.Recorded,
            id=idempotency_record_id(organization_id, actor, key),
            organization_id=organization_id,
            actor=actor,
            command=command,
            fingerprint=fingerprint,
            result_id=result_id,
        )

    def first_result(self, command: str, fingerprint: str) -> UUID:
        """The first result, if the retried command is the same one."""
        if (self.command, self.fingerprint) != (command, fingerprint):
            raise IdempotencyKeyReused(
                "this idempotencyKey was used for a different command", "idempotencyKey"
            )
        return self.result_id
