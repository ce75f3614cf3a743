"""What every measurement is given: the store, the generated data and a token for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

from bench.generator import ACTOR, Dataset, Quarter
from okr.domain.api_token import Role
from okr.infra.event_store import DatabaseUrl
from okr.services.application import OkrApplication
from okr.services.context import Context
from okr.services.tokens import issue_token


@dataclass
class Run:
    """One benchmark run on one store."""

    url: DatabaseUrl
    app: OkrApplication
    dataset: Dataset
    quick: bool
    workdir: Path
    tokens: dict[tuple[Role, str], str] = field(default_factory=dict)

    @property
    def context(self) -> Context:
        return Context(UUID(self.dataset.organization_id), ACTOR)

    @property
    def open_quarter(self) -> Quarter:
        """The latest generated quarter that has begun: a check-in may be dated in it now
        (a full run generates quarters up to a year or so ahead)."""
        today = date.today().isoformat()
        return [q for q in self.dataset.quarters if q.starts_on <= today][-1]

    @property
    def open_moment(self) -> datetime:
        """When check-ins on the open quarter's key results are dated: its 15th day, or a
        minute ago if that is still ahead."""
        day = datetime.fromisoformat(self.open_quarter.starts_on).replace(tzinfo=UTC)
        return min(day + timedelta(days=14), datetime.now(UTC) - timedelta(minutes=1))

    @property
    def rounds(self) -> int:
        """How many times each figure is measured; its median is reported."""
        return 3 if self.quick else 5

    def token(self, role: Role = Role.ADMIN, holder: str = "bench") -> str:
        """A bearer token for the generated organization (issued once per run and holder).
        Roles that act for a person (VIEWER, MEMBER) cannot be issued this way."""
        if (role, holder) not in self.tokens:
            self.tokens[role, holder] = issue_token(
                self.app, self.context, f"{holder} {role.value}", role
            ).secret
        return self.tokens[role, holder]
