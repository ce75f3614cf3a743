"""The key results view's table and event handlers: current value, progress against the
original and revised target. It reads the check-in history (see `reads`), which is applied
before it in each batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import singledispatchmethod

from okr.domain.key_result import KeyResult
from okr.domain.progress import (
    progress,
)
from okr.domain.values import Metric
from okr.views.base import (
    Envelope,
    View,
    iso,
)
from okr.views.check_in_history import CheckInHistory, check_in_in_force
from okr.views.database import Row, SqlConnection

LOAD_CHUNK = 500


_CURRENT = (
    "current_value, confidence, current_check_in_id, effective_at, last_check_in_at, "
    "updated_at, version"
)


_PROGRESS = "progress, progress_unclamped, original_progress, original_progress_unclamped"


def progress_columns(row: Row) -> Row:
    """The row's progress columns: its current value against the revised and original target."""
    metric = Metric(row["metric"])
    revised = progress(metric, row["start_value"], row["target"], row["current_value"])
    original = progress(metric, row["start_value"], row["original_target"], row["current_value"])
    return dict(
        zip(
            _PROGRESS.split(", "),
            (revised.value, revised.unclamped, original.value, original.unclamped),
            strict=True,
        )
    )


@dataclass
class _Tracked:
    """A key result row while a batch changes it."""

    row: Row
    changed: bool = False

    def follow(self, event: KeyResult.Event, *, check_in: bool = False) -> None:
        """Note the event's time and version (and, for a check-in, when one last came)."""
        at = iso(event.timestamp)
        self.row["updated_at"] = at
        self.row["version"] = event.originator_version
        if check_in:
            self.row["last_check_in_at"] = max(self.row["last_check_in_at"] or at, at)
        self.changed = True

    def take(self, check_in: Row | KeyResult.CheckInRecorded | KeyResult.CheckInCorrected) -> None:
        """Make `check_in` the current value."""
        if isinstance(check_in, dict):
            self.row |= {
                "current_value": check_in["value"],
                "confidence": check_in["confidence"],
                "current_check_in_id": check_in["id"],
                "effective_at": check_in["effective_at"],
            }
        else:
            self.row |= {
                "current_value": check_in.value,
                "confidence": check_in.confidence,
                "current_check_in_id": str(check_in.check_in_id),
                "effective_at": iso(check_in.effective_at),
            }

    def offer(self, check_in: KeyResult.CheckInRecorded | KeyResult.CheckInCorrected) -> None:
        """A newer check-in is current unless the current one applies later."""
        current = self.row["effective_at"]
        if current is None or iso(check_in.effective_at) >= current:
            self.take(check_in)

    def values(self) -> list[object]:
        """The changing columns, then progress against the revised and original target."""
        row = self.row
        return [
            *(row[c] for c in _CURRENT.split(", ")),
            row["target"],
            *progress_columns(row).values(),
            row["id"],
        ]


class KeyResults(View):
    name = "key_results"
    version = 1
    reads = (CheckInHistory,)
    tables = {
        "key_results": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, "
        "objective_id TEXT NOT NULL, title TEXT NOT NULL, metric TEXT NOT NULL, "
        "start_value DOUBLE PRECISION NOT NULL, original_target DOUBLE PRECISION NOT NULL, "
        "target DOUBLE PRECISION NOT NULL, unit TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL, "
        "current_value DOUBLE PRECISION, confidence INTEGER, current_check_in_id TEXT, "
        "effective_at TEXT, last_check_in_at TEXT, "
        "progress DOUBLE PRECISION NOT NULL, progress_unclamped DOUBLE PRECISION NOT NULL, "
        "original_progress DOUBLE PRECISION NOT NULL, "
        "original_progress_unclamped DOUBLE PRECISION NOT NULL, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL",
        "target_revisions": "key_result_id TEXT NOT NULL, organization_id TEXT NOT NULL, "
        "target DOUBLE PRECISION NOT NULL, previous_target DOUBLE PRECISION NOT NULL, "
        "reason TEXT NOT NULL, revised_at TEXT NOT NULL, actor TEXT NOT NULL, "
        "PRIMARY KEY (key_result_id, revised_at)",
    }
    indexes = {"key_results_objective": "key_results (objective_id)"}

    async def apply_batch(self, batch: Sequence[Envelope], conn: SqlConnection) -> None:
        """Follow each key result the batch touches in memory; write each one once."""
        events = [e for e in batch if isinstance(e.event, KeyResult.Event)]
        tracked = await self._load(conn, {str(e.event.originator_id) for e in events})
        for envelope in events:
            handler = self.handler(type(envelope.event))
            if handler is not None:
                await handler(self, envelope.event, conn, envelope.position, tracked)
        changed = [t.values() for t in tracked.values() if t.changed]
        if changed:
            columns = f"{_CURRENT}, target, {_PROGRESS}".split(", ")
            await conn.update_many(f"{self.p}key_results", "id", columns, changed)

    async def _load(self, conn: SqlConnection, ids: set[str]) -> dict[str, _Tracked]:
        tracked: dict[str, _Tracked] = {}
        listed = sorted(ids)
        for start in range(0, len(listed), LOAD_CHUNK):
            chunk = listed[start : start + LOAD_CHUNK]
            marks = ", ".join(f"${n}" for n in range(1, len(chunk) + 1))
            for row in await conn.fetch(
                f"SELECT * FROM {self.p}key_results WHERE id IN ({marks})", *chunk
            ):
                tracked[row["id"]] = _Tracked(dict(row))
        return tracked

    async def _current_at(
        self, conn: SqlConnection, key_result_id: str, position: int
    ) -> Row | None:
        """The check-in in force once the event at `position` was applied, from the tables
        of the check-in history this view reads."""
        history = self.source(CheckInHistory)
        return await check_in_in_force(conn, key_result_id, position, history.p)

    @singledispatchmethod
    async def process(
        self, event: object, conn: SqlConnection, position: int, tracked: dict[str, _Tracked]
    ) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(
        self,
        event: KeyResult.Created,
        conn: SqlConnection,
        position: int,
        tracked: dict[str, _Tracked],
    ) -> None:
        row: Row = {
            "id": str(event.originator_id),
            "organization_id": str(event.organization_id),
            "objective_id": str(event.objective_id),
            "title": event.title,
            "metric": event.metric,
            "start_value": event.start,
            "original_target": event.target,
            "target": event.target,
            "unit": event.unit,
            "weight": event.weight,
            **dict.fromkeys(_CURRENT.split(", ")[:5]),
            "created_at": iso(event.timestamp),
            "updated_at": iso(event.timestamp),
            "version": event.originator_version,
        }
        row |= progress_columns(row)
        await conn.execute(
            f"INSERT INTO {self.p}key_results ({', '.join(row)}) "
            f"VALUES ({', '.join(f'${n}' for n in range(1, len(row) + 1))})",
            *row.values(),
        )
        tracked[row["id"]] = _Tracked(row)

    @process.register
    async def _(
        self,
        event: KeyResult.TargetRevised,
        conn: SqlConnection,
        position: int,
        tracked: dict[str, _Tracked],
    ) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}target_revisions VALUES ($1, $2, $3, $4, $5, $6, $7)",
            str(event.originator_id),
            str(event.organization_id),
            event.target,
            event.previous_target,
            event.reason,
            iso(event.timestamp),
            event.actor,
        )
        key_result = tracked[str(event.originator_id)]
        key_result.row["target"] = event.target
        key_result.follow(event)

    @process.register
    async def _(
        self,
        event: KeyResult.CheckInRecorded,
        conn: SqlConnection,
        position: int,
        tracked: dict[str, _Tracked],
    ) -> None:
        key_result = tracked[str(event.originator_id)]
        key_result.offer(event)
        key_result.follow(event, check_in=True)

    @process.register
    async def _(
        self,
        event: KeyResult.CheckInCorrected,
        conn: SqlConnection,
        position: int,
        tracked: dict[str, _Tracked],
    ) -> None:
        key_result = tracked[str(event.originator_id)]
        if key_result.row["current_check_in_id"] == str(event.corrects_id):
            current = await self._current_at(conn, key_result.row["id"], position)
            assert current is not None
            key_result.take(current)
        else:
            key_result.offer(event)
        key_result.follow(event, check_in=True)
