"""KPIs and recognition notes."""

from __future__ import annotations

from datetime import datetime

import strawberry

from okr.graphql.directory_types import Node
from okr.graphql.ids import global_id
from okr.views.database import Row


@strawberry.type
class Kpi(Node):
    name: str
    unit: str
    target: float | None
    current_value: float | None

    @classmethod
    def of(cls, row: Row) -> Kpi:
        return cls(
            id=strawberry.ID(global_id("Kpi", row["id"])),
            name=row["name"],
            unit=row["unit"],
            target=row["target"],
            current_value=row["current_value"],
        )


@strawberry.type
class Recognition(Node):
    message: str
    kind: str
    given_by: str
    given_at: datetime

    @classmethod
    def of(cls, row: Row) -> Recognition:
        return cls(
            id=strawberry.ID(global_id("Recognition", row["id"])),
            message=row["message"],
            kind=row["kind"],
            given_by=row["given_by"],
            given_at=datetime.fromisoformat(row["given_at"]),
        )
