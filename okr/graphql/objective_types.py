"""Objectives, now or as known at a past moment (`asOf`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay

from okr.domain.objective import Objective as ObjectiveAggregate
from okr.domain.progress import rounded, weighted_progress
from okr.domain.values import InitiativeStatus, ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.graphql.context import Info
from okr.graphql.directory_types import Period, Person, Team
from okr.graphql.ids import moment
from okr.graphql.key_result_types import CoachingFinding, KeyResult, load_as_of
from okr.graphql.loaders import HistoryRange
from okr.graphql.node import FoundNode, fresh
from okr.queries.as_of_rows import objective_row
from okr.queries.key_result_history import Interval
from okr.views.database import Row
from okr.views.objectives import Collaboration, initiative_by_id

strawberry.enum(ObjectiveKind)
strawberry.enum(ObjectiveLevel)
strawberry.enum(ObjectiveStatus)
strawberry.enum(InitiativeStatus)
strawberry.enum(Collaboration)


@strawberry.type(
    description="An objective's weighted progress at the end of a day or week, rounded to 6 "
    "decimal places."
)
class ProgressPoint:
    on: date
    progress: float
    expected_progress: float


@strawberry.type
class Initiative(FoundNode):
    id: relay.NodeID[str]
    title: str
    status: InitiativeStatus
    owner_id: strawberry.Private[str]

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            title=row["title"],
            status=InitiativeStatus(row["status"]),
            owner_id=row["owner_id"],
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await fresh(info, initiative_by_id, raw_id)
        return None if row is None else cls.of(row)

    @strawberry.field
    async def owner(self, info: Info) -> Person | None:
        row = await info.context.loaders.person.load(self.owner_id)
        return None if row is None else Person.of(row)


@strawberry.type
class Objective(FoundNode):
    id: relay.NodeID[str]
    row: strawberry.Private[Row]
    aggregate: strawberry.Private[ObjectiveAggregate | None]
    as_of: datetime | None = strawberry.field(description="Set when this is a past state.")
    title: str
    description: str
    kind: ObjectiveKind
    level: ObjectiveLevel
    status: ObjectiveStatus
    score: float | None
    retrospective: str
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(
        cls, row: Row, as_of: datetime | None = None, aggregate: ObjectiveAggregate | None = None
    ) -> Self:
        return cls(
            id=row["id"],
            row=row,
            aggregate=aggregate,
            as_of=as_of,
            title=row["title"],
            description=row["description"],
            kind=ObjectiveKind(row["kind"]),
            level=ObjectiveLevel(row["level"]),
            status=ObjectiveStatus(row["status"]),
            score=row["score"],
            retrospective=row["retrospective"],
            created_at=datetime.fromisoformat(row["created_at"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
            version=row["version"],
        )

    @classmethod
    async def load(
        cls, info: Info, objective_id: str, as_of: datetime | None = None
    ) -> Self | None:
        """The caller's objective now, or as known at `as_of`; None when not found."""
        if as_of is None:
            row = await info.context.loaders.objective.load(objective_id)
            return None if row is None else cls.of(row)
        aggregate = await load_as_of(info, ObjectiveAggregate, objective_id, as_of)
        return None if aggregate is None else cls.of(objective_row(aggregate), as_of, aggregate)

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        return await cls.load(info, raw_id)

    @strawberry.field
    async def lead(self, info: Info) -> Person | None:
        row = await info.context.loaders.person.load(self.row["lead_id"])
        return None if row is None else Person.of(row)

    @strawberry.field
    async def period(self, info: Info) -> Period | None:
        row = await info.context.loaders.period.load(self.row["period_id"])
        return None if row is None else Period.of(row)

    @strawberry.field(description="The owning teams; none means the organization owns it.")
    async def teams(self, info: Info) -> list[Team]:
        loaders = info.context.loaders
        if self.aggregate is None:
            return [Team.of(r) for r in await loaders.teams_of_objective.load(self.row["id"])]
        rows = await loaders.team.load_many([str(t) for t in self.aggregate.team_ids])
        return [Team.of(r) for r in rows if r is not None]

    @strawberry.field
    async def contributors(self, info: Info) -> list[Person]:
        loaders = info.context.loaders
        if self.aggregate is None:
            return [Person.of(r) for r in await loaders.contributors_of.load(self.row["id"])]
        rows = await loaders.person.load_many([str(p) for p in self.aggregate.contributor_ids])
        return [Person.of(r) for r in rows if r is not None]

    @strawberry.field(description="FUNCTIONAL if one team holds every contributor.")
    async def collaboration(self, info: Info) -> Collaboration | None:
        return await info.context.loaders.collaboration.load(self.row["id"])

    @strawberry.field
    async def key_results(self, info: Info) -> list[KeyResult]:
        return await self._key_results(info)

    async def _key_results(self, info: Info) -> list[KeyResult]:
        if self.aggregate is None or self.as_of is None:
            rows = await info.context.loaders.key_results_of.load(self.row["id"])
            return [KeyResult.of(r) for r in rows]
        then = await info.context.loaders.key_result_as_of.load_many(
            [(str(k), self.as_of) for k in self.aggregate.key_result_ids]
        )
        return [KeyResult.of(row, self.as_of) for row in then if row is not None]

    @strawberry.field(description="Key results' progress, weighted, rounded to 6 decimal places.")
    async def progress(self, info: Info) -> float:
        key_results = await self._key_results(info)
        return rounded(weighted_progress((k.weight, k.row["progress"]) for k in key_results))

    @strawberry.field
    async def initiatives(self, info: Info) -> list[Initiative]:
        if self.aggregate is not None:
            return [
                Initiative(
                    id=str(i.id),
                    title=i.title,
                    status=i.status,
                    owner_id=str(i.owner_id),
                )
                for i in self.aggregate.initiatives.values()
            ]
        rows = await info.context.loaders.initiatives_of.load(self.row["id"])
        return [Initiative.of(r) for r in rows]

    @strawberry.field(description="The directional objective it aligns to, if any.")
    async def aligned_objective(self, info: Info) -> Objective | None:
        parent = self.row["aligned_objective_id"]
        return None if parent is None else await Objective.load(info, parent, self.as_of)

    @strawberry.field(description="The key result it aligns to, if any.")
    async def aligned_key_result(self, info: Info) -> KeyResult | None:
        target = self.row["aligned_key_result_id"]
        if target is None:
            return None
        if self.as_of is not None:
            then = await info.context.loaders.key_result_as_of.load((target, self.as_of))
            return None if then is None else KeyResult.of(then, self.as_of)
        row = await info.context.loaders.key_result.load(target)
        return None if row is None else KeyResult.of(row)

    @strawberry.field(description="Objectives aligned directly below this one (now).")
    async def children(self, info: Info) -> list[Objective]:
        rows = await info.context.loaders.children_of.load(self.row["id"])
        return [Objective.of(r) for r in rows]

    @strawberry.field(description="Objectives above this one, nearest first (now).")
    async def ancestors(self, info: Info) -> list[Objective]:
        rows = await info.context.loaders.ancestors_of.load(self.row["id"])
        return [Objective.of(r) for r in rows]

    @strawberry.field(description="Coaching advice as of now.")
    async def advice(self, info: Info) -> list[CoachingFinding]:
        findings = await info.context.loaders.advice.load(self.row["id"])
        return [CoachingFinding.of(f) for f in findings]

    @strawberry.field(description="Weighted progress over [from, to], by day or week.")
    async def progress_history(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        interval: Interval = Interval.WEEK,
        as_of: datetime | None = None,
    ) -> list[ProgressPoint]:
        asked = HistoryRange(from_, to, interval, moment(as_of, "asOf") or self.as_of)
        points = await info.context.loaders.progress_history.load((self.row["id"], asked))
        return [
            ProgressPoint(
                on=p.on,
                progress=rounded(p.progress),
                expected_progress=rounded(p.expected_progress),
            )
            for p in points or []
        ]
