"""KPIs and recognition notes."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from okr.graphql.context import Info
from okr.graphql.node import FoundNode, fresh
from okr.views.database import Row
from okr.views.recognitions import recognition_by_id


@strawberry.type
class Kpi(FoundNode):
    id: relay.NodeID[str]
    name: str
    unit: str
    target: float | None
    current_value: float | None

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            name=row["name"],
            unit=row["unit"],
            target=row["target"],
            current_value=row["current_value"],
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await info.context.loaders.kpi.load(raw_id)
        return None if row is None else cls.of(row)


@strawberry.type
class Recognition(FoundNode):
    id: relay.NodeID[str]
    message: str
    kind: str
    given_by: str
    given_at: datetime

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            message=row["message"],
            kind=row["kind"],
            given_by=row["given_by"],
            given_at=datetime.fromisoformat(row["given_at"]),
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await fresh(info, recognition_by_id, raw_id)
        return None if row is None else cls.of(row)
