"""What every measurement is given: the store, the generated data and a token for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from bench.generator import ACTOR, Dataset
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
    tokens: dict[Role, str] = field(default_factory=dict)

    @property
    def context(self) -> Context:
        return Context(UUID(self.dataset.organization_id), ACTOR)

    @property
    def rounds(self) -> int:
        """How many times each figure is measured; its median is reported."""
        return 3 if self.quick else 5

    def token(self, role: Role = Role.ADMIN) -> str:
        """A bearer token for the generated organization (issued once per run)."""
        if role not in self.tokens:
            self.tokens[role] = issue_token(
                self.app, self.context, f"bench {role.value}", role
            ).secret
        return self.tokens[role]
