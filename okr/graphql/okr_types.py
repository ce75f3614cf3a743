"""Objectives, key results and check-ins, now or as known at a past moment (`asOf`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated, TypeVar
from uuid import UUID

import strawberry

from okr.domain.base import OkrAggregate
from okr.domain.coaching import Finding
from okr.domain.errors import NotFound
from okr.domain.key_result import KeyResult as KeyResultAggregate
from okr.domain.objective import Objective as ObjectiveAggregate
from okr.domain.progress import TrackStatus
from okr.domain.values import (
    InitiativeStatus,
    Metric,
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
)
from okr.graphql.as_of import key_result_row, objective_row
from okr.graphql.context import Info
from okr.graphql.directory_types import Node, Period, Person, Team
from okr.graphql.ids import global_id
from okr.infra.read_store import Row
from okr.projections.alignment_tree import ancestors
from okr.projections.check_in_history import check_ins_known_at
from okr.projections.coaching_advice import objective_advice
from okr.projections.key_result_history import (
    Interval,
    key_result_history,
    objective_progress_history,
)
from okr.projections.key_results import KeyResultState, key_result_state
from okr.projections.objectives import Collaboration, objective_summary

strawberry.enum(ObjectiveKind)
strawberry.enum(ObjectiveLevel)
strawberry.enum(ObjectiveStatus)
strawberry.enum(Metric)
strawberry.enum(InitiativeStatus)
strawberry.enum(TrackStatus)
strawberry.enum(Collaboration)
strawberry.enum(Interval)


A = TypeVar("A", bound=OkrAggregate)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@strawberry.type(description="Advice from the coaching rules; never an error.")
class CoachingFinding:
    code: str
    message: str
    subject_id: strawberry.ID

    @classmethod
    def of(cls, finding: Finding, subject_type: str) -> CoachingFinding:
        return cls(
            code=finding.code,
            message=finding.message,
            subject_id=strawberry.ID(global_id(subject_type, finding.subject_id)),
        )


@strawberry.type
class CheckIn(Node):
    value: float
    confidence: int
    note: str
    effective_at: datetime
    recorded_at: datetime
    author: str
    corrects: strawberry.ID | None
    reason: str
    superseded_at: datetime | None

    @classmethod
    def of(cls, row: Row) -> CheckIn:
        return cls(
            id=strawberry.ID(global_id("CheckIn", row["id"])),
            value=row["value"],
            confidence=row["confidence"],
            note=row["note"],
            effective_at=datetime.fromisoformat(row["effective_at"]),
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            author=row["author"],
            corrects=(
                strawberry.ID(global_id("CheckIn", row["corrects_id"]))
                if row["corrects_id"]
                else None
            ),
            reason=row["reason"],
            superseded_at=_moment(row["superseded_at"]),
        )


@strawberry.type(description="A key result at the end of one day or week of a range.")
class HistoryPoint:
    on: date
    value: float | None
    confidence: int | None
    target: float
    progress: float
    progress_unclamped: float
    original_progress: float
    expected_progress: float
    status: TrackStatus


@strawberry.type(description="An objective's weighted progress at the end of a day or week.")
class ProgressPoint:
    on: date
    progress: float
    expected_progress: float


@strawberry.type
class Initiative(Node):
    title: str
    status: InitiativeStatus
    owner_id: strawberry.Private[str]

    @strawberry.field
    async def owner(self, info: Info) -> Person | None:
        row = await info.context.loaders.person.load(self.owner_id)
        return None if row is None else Person.of(row)


@strawberry.type
class KeyResult(Node):
    row: strawberry.Private[Row]
    as_of: datetime | None = strawberry.field(description="Set when this is a past state.")
    title: str
    metric: Metric
    unit: str
    weight: float
    start: float
    target: float = strawberry.field(description="The target in force.")
    original_target: float
    current_value: float | None
    confidence: int | None
    progress: float = strawberry.field(description="Against the target in force, 0..1.")
    progress_unclamped: float
    original_progress: float = strawberry.field(description="Against the original target.")
    version: int

    @classmethod
    def of(cls, row: Row, as_of: datetime | None = None) -> KeyResult:
        return cls(
            id=strawberry.ID(global_id("KeyResult", row["id"])),
            row=row,
            as_of=as_of,
            title=row["title"],
            metric=Metric(row["metric"]),
            unit=row["unit"],
            weight=row["weight"],
            start=row["start_value"],
            target=row["target"],
            original_target=row["original_target"],
            current_value=row["current_value"],
            confidence=row["confidence"],
            progress=row["progress"],
            progress_unclamped=row["progress_unclamped"],
            original_progress=row["original_progress"],
            version=row["version"],
        )

    @strawberry.field
    async def objective(self, info: Info) -> Objective | None:
        return await Objective.load(info, self.row["objective_id"], self.as_of)

    @strawberry.field(description="ON_TRACK, AT_RISK or OFF_TRACK against expected progress.")
    async def status(self, info: Info) -> TrackStatus | None:
        state = await self._state(info)
        return None if state is None else state.status

    @strawberry.field(description="No check-in for 14 days on an active objective.")
    async def stale(self, info: Info) -> bool:
        state = await self._state(info)
        return state is not None and state.stale

    @strawberry.field
    async def expected_progress(self, info: Info) -> float | None:
        state = await self._state(info)
        return None if state is None else state.expected_progress

    async def _state(self, info: Info) -> KeyResultState | None:
        return await key_result_state(
            info.context.ledger.store,
            self.row["organization_id"],
            self.row["id"],
            self.as_of or datetime.now(UTC),
        )

    @strawberry.field(description="Check-ins as known then (or now), corrections applied.")
    async def check_ins(self, info: Info, include_superseded: bool = False) -> list[CheckIn]:
        store = info.context.ledger.store
        if include_superseded:
            rows = await store.fetch(
                "SELECT * FROM check_ins WHERE organization_id = $1 AND key_result_id = $2 "
                "ORDER BY recorded_at",
                self.row["organization_id"],
                self.row["id"],
            )
            return [CheckIn.of(r) for r in rows]
        return [
            CheckIn.of(r)
            for r in await check_ins_known_at(
                store, self.row["organization_id"], self.row["id"], self.as_of
            )
        ]

    @strawberry.field(description="How the key result moved over [from, to], by day or week.")
    async def history(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        interval: Interval = Interval.WEEK,
        as_of: datetime | None = None,
    ) -> list[HistoryPoint]:
        points = await key_result_history(
            info.context.ledger.store,
            self.row["organization_id"],
            self.row["id"],
            from_,
            to,
            interval,
            as_of or self.as_of,
        )
        return [HistoryPoint(**vars(p)) for p in points or []]


@strawberry.type
class Objective(Node):
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
    ) -> Objective:
        return cls(
            id=strawberry.ID(global_id("Objective", row["id"])),
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
    ) -> Objective | None:
        """The caller's objective now, or replayed to `as_of`; None when not found."""
        if as_of is None:
            row = await info.context.loaders.objective.load(objective_id)
            return None if row is None else cls.of(row)
        aggregate = await replay(info, ObjectiveAggregate, objective_id, as_of)
        return None if aggregate is None else cls.of(objective_row(aggregate), as_of, aggregate)

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
        summary = await objective_summary(
            info.context.ledger.store, self.row["organization_id"], self.row["id"]
        )
        return None if summary is None else summary.collaboration

    @strawberry.field
    async def key_results(self, info: Info) -> list[KeyResult]:
        return await self._key_results(info)

    async def _key_results(self, info: Info) -> list[KeyResult]:
        if self.aggregate is None or self.as_of is None:
            rows = await info.context.loaders.key_results_of.load(self.row["id"])
            return [KeyResult.of(r) for r in rows]
        replayed = [
            await replay(info, KeyResultAggregate, str(k), self.as_of)
            for k in self.aggregate.key_result_ids
        ]
        return [KeyResult.of(key_result_row(k), self.as_of) for k in replayed if k is not None]

    @strawberry.field(description="Key results' progress, weighted.")
    async def progress(self, info: Info) -> float:
        key_results = await self._key_results(info)
        total = sum(k.weight for k in key_results)
        return sum(k.weight * k.progress for k in key_results) / total if total else 0.0

    @strawberry.field
    async def initiatives(self, info: Info) -> list[Initiative]:
        if self.aggregate is not None:
            return [
                Initiative(
                    id=strawberry.ID(global_id("Initiative", i.id)),
                    title=i.title,
                    status=i.status,
                    owner_id=str(i.owner_id),
                )
                for i in self.aggregate.initiatives.values()
            ]
        rows = await info.context.loaders.initiatives_of.load(self.row["id"])
        return [
            Initiative(
                id=strawberry.ID(global_id("Initiative", r["id"])),
                title=r["title"],
                status=InitiativeStatus(r["status"]),
                owner_id=r["owner_id"],
            )
            for r in rows
        ]

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
            replayed = await replay(info, KeyResultAggregate, target, self.as_of)
            return None if replayed is None else KeyResult.of(key_result_row(replayed), self.as_of)
        row = await info.context.loaders.key_result.load(target)
        return None if row is None else KeyResult.of(row)

    @strawberry.field(description="Objectives aligned directly below this one (now).")
    async def children(self, info: Info) -> list[Objective]:
        rows = await info.context.loaders.children_of.load(self.row["id"])
        return [Objective.of(r) for r in rows]

    @strawberry.field(description="Objectives above this one, nearest first (now).")
    async def ancestors(self, info: Info) -> list[Objective]:
        rows = await ancestors(
            info.context.ledger.store, self.row["organization_id"], self.row["id"]
        )
        return [Objective.of(r) for r in rows]

    @strawberry.field(description="Coaching advice as of now.")
    async def advice(self, info: Info) -> list[CoachingFinding]:
        caller = info.context.who
        findings = await objective_advice(
            info.context.ledger.app, caller.context(), UUID(self.row["id"]), datetime.now(UTC)
        )
        return [
            CoachingFinding.of(
                f, "Objective" if f.subject_id == UUID(self.row["id"]) else "KeyResult"
            )
            for f in findings
        ]

    @strawberry.field(description="Weighted progress over [from, to], by day or week.")
    async def progress_history(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        interval: Interval = Interval.WEEK,
        as_of: datetime | None = None,
    ) -> list[ProgressPoint]:
        points = await objective_progress_history(
            info.context.ledger.store,
            self.row["organization_id"],
            self.row["id"],
            from_,
            to,
            interval,
            as_of or self.as_of,
        )
        return [
            ProgressPoint(on=p.on, progress=p.progress, expected_progress=p.expected_progress)
            for p in points or []
        ]


async def replay(info: Info, kind: type[A], raw_id: str, at: datetime) -> A | None:
    """The caller's aggregate as it was at `at`, or None."""
    try:
        aggregate_id = UUID(raw_id)
    except ValueError:
        return None
    app = info.context.ledger.app
    try:
        context = info.context.who.context()
        return await asyncio.to_thread(lambda: app.load(context, kind, aggregate_id, at=at))
    except NotFound:
        return None


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
