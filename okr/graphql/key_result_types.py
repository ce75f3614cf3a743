"""Key results and their check-ins, now or as known at a past moment (`asOf`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Self, TypeVar
from uuid import UUID

import strawberry
from strawberry import relay

from okr.domain.base import OkrAggregate
from okr.domain.coaching import Finding
from okr.domain.errors import NotFound
from okr.domain.objective import Objective as ObjectiveAggregate
from okr.domain.progress import TrackStatus, rounded
from okr.domain.values import Metric
from okr.graphql.context import Info
from okr.graphql.ids import moment
from okr.graphql.loaders import HistoryRange
from okr.graphql.node import FoundNode, fresh
from okr.queries.as_of_rows import key_result_state
from okr.queries.key_result_history import HistoryPoint as Point
from okr.queries.key_result_history import Interval
from okr.views.base import iso
from okr.views.check_in_history import check_in_by_id
from okr.views.database import Row
from okr.views.key_results import KeyResultState, state_at

if TYPE_CHECKING:
    from okr.graphql.objective_types import Objective

strawberry.enum(Metric)
strawberry.enum(TrackStatus)
strawberry.enum(Interval)

A = TypeVar("A", bound=OkrAggregate)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


async def load_as_of(info: Info, kind: type[A], raw_id: str, at: datetime) -> A | None:
    """The caller's aggregate as it was known at `at`, folded from its events, or None."""
    try:
        aggregate_id = UUID(raw_id)
    except ValueError:
        return None
    app = info.context.backend.app
    try:
        context = info.context.who.context()
        return await asyncio.to_thread(lambda: app.load(context, kind, aggregate_id, at=at))
    except NotFound:
        return None


@strawberry.type(description="Advice from the coaching rules; never an error.")
class CoachingFinding:
    code: str
    message: str
    subject_id: relay.GlobalID

    @classmethod
    def of(cls, finding: Finding) -> CoachingFinding:
        return cls(
            code=finding.code,
            message=finding.message,
            subject_id=relay.GlobalID(finding.subject_type, str(finding.subject_id)),
        )


@strawberry.type
class CheckIn(FoundNode):
    id: relay.NodeID[str]
    value: float
    confidence: int
    note: str
    effective_at: datetime
    recorded_at: datetime
    author: str
    corrects: relay.GlobalID | None
    reason: str
    superseded_at: datetime | None

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls(
            id=row["id"],
            value=row["value"],
            confidence=row["confidence"],
            note=row["note"],
            effective_at=datetime.fromisoformat(row["effective_at"]),
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            author=row["author"],
            corrects=(
                relay.GlobalID("CheckIn", row["corrects_id"]) if row["corrects_id"] else None
            ),
            reason=row["reason"],
            superseded_at=_moment(row["superseded_at"]),
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await fresh(info, check_in_by_id, raw_id)
        return None if row is None else cls.of(row)


@strawberry.type(
    description="A key result at the end of one day or week of a range; progress figures "
    "are rounded to 6 decimal places, except `progressUnclamped`."
)
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

    @classmethod
    def of(cls, point: Point) -> HistoryPoint:
        return cls(
            on=point.on,
            value=point.value,
            confidence=point.confidence,
            target=point.target,
            progress=rounded(point.progress),
            progress_unclamped=point.progress_unclamped,
            original_progress=rounded(point.original_progress),
            expected_progress=rounded(point.expected_progress),
            status=point.status,
        )


@strawberry.type
class KeyResult(FoundNode):
    id: relay.NodeID[str]
    row: strawberry.Private[Row]
    as_of: datetime | None = strawberry.field(description="Set when this is a past state.")
    title: str
    metric: Metric
    unit: str
    weight: float
    start: float
    target: float = strawberry.field(description="The target in force.")
    original_target: float
    current_value: float | None = strawberry.field(
        description="The latest check-in by effective date, corrections applied."
    )
    confidence: int | None
    progress: float = strawberry.field(
        description="Against the target in force, 0..1, rounded to 6 decimal places."
    )
    progress_unclamped: float = strawberry.field(
        description="Against the target in force, as computed: neither clamped nor rounded."
    )
    original_progress: float = strawberry.field(
        description="Against the original target, 0..1, rounded to 6 decimal places."
    )
    version: int
    state: strawberry.Private[asyncio.Task[KeyResultState | None] | None] = None

    @classmethod
    def of(cls, row: Row, as_of: datetime | None = None) -> Self:
        return cls(
            id=row["id"],
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
            progress=rounded(row["progress"]),
            progress_unclamped=row["progress_unclamped"],
            original_progress=rounded(row["original_progress"]),
            version=row["version"],
        )

    @classmethod
    async def find(cls, info: Info, raw_id: str) -> Self | None:
        row = await info.context.loaders.key_result.load(raw_id)
        return None if row is None else cls.of(row)

    @strawberry.field
    async def objective(
        self, info: Info
    ) -> Annotated[Objective, strawberry.lazy("okr.graphql.objective_types")] | None:
        from okr.graphql.objective_types import Objective

        return await Objective.load(info, self.row["objective_id"], self.as_of)

    @strawberry.field(description="ON_TRACK, AT_RISK or OFF_TRACK against expected progress.")
    async def status(self, info: Info) -> TrackStatus | None:
        state = await self._state(info)
        return None if state is None else state.status

    @strawberry.field(
        description="On an active objective, no check-in effective in the last 14 days."
    )
    async def stale(self, info: Info) -> bool:
        state = await self._state(info)
        return state is not None and state.stale

    @strawberry.field(description="The share of the period passed, rounded to 6 decimal places.")
    async def expected_progress(self, info: Info) -> float | None:
        state = await self._state(info)
        return None if state is None else rounded(state.expected_progress)

    async def _state(self, info: Info) -> KeyResultState | None:
        """Status, staleness and expected progress, worked out once for the three fields."""
        if self.state is None:
            self.state = asyncio.ensure_future(self._compute_state(info))
        return await self.state

    async def _compute_state(self, info: Info) -> KeyResultState | None:
        schedule = await info.context.loaders.schedule_of_objective.load(self.row["objective_id"])
        if not schedule:
            return None
        if self.as_of is None:
            return state_at({**self.row, **schedule[0]}, datetime.now(UTC))
        objective = await load_as_of(info, ObjectiveAggregate, self.row["objective_id"], self.as_of)
        if objective is None:
            return None
        return key_result_state(self.row, schedule[0], objective, self.as_of)

    @strawberry.field(description="Check-ins as known then (or now), corrections applied.")
    async def check_ins(self, info: Info, include_superseded: bool = False) -> list[CheckIn]:
        loaders = info.context.loaders
        if include_superseded:
            rows = await loaders.check_ins_of.load(self.row["id"])
            if self.as_of is not None:
                then = iso(self.as_of)
                rows = [
                    r if (r["superseded_at"] or "") <= then else r | {"superseded_at": None}
                    for r in rows
                    if r["recorded_at"] <= then
                ]
        else:
            rows = await loaders.check_ins_known.load((self.row["id"], self.as_of))
        return [CheckIn.of(r) for r in rows]

    @strawberry.field(description="How the key result moved over [from, to], by day or week.")
    async def history(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        interval: Interval = Interval.WEEK,
        as_of: datetime | None = None,
    ) -> list[HistoryPoint]:
        asked = HistoryRange(from_, to, interval, moment(as_of, "asOf") or self.as_of)
        points = await info.context.loaders.history.load((self.row["id"], asked))
        return [HistoryPoint.of(p) for p in points or []]
