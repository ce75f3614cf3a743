"""The key results view: current value, progress against the original and revised target.

It reads the `check_ins` rows that CheckInHistory writes earlier in the same transaction,
so it is registered after it (see `registry.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatchmethod

from okr.domain.coaching import STALE_AFTER
from okr.domain.key_result import KeyResult
from okr.domain.progress import TrackStatus, expected_progress, progress, track_status
from okr.domain.values import Metric
from okr.infra.read_store import Connection, Row
from okr.projections.base import Projection, iso


class KeyResults(Projection):
    name = "key_results"
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

    async def refresh(self, conn: Connection, event: KeyResult.Event) -> None:
        """Recompute the current value and both progress figures from the stored rows."""
        key_result_id = str(event.originator_id)
        row = await conn.fetchrow(
            f"SELECT metric, start_value, original_target, target FROM {self.p}key_results "
            "WHERE id = $1",
            key_result_id,
        )
        assert row is not None
        latest = await conn.fetchrow(
            f"SELECT id, value, confidence, effective_at FROM {self.p}check_ins "
            "WHERE key_result_id = $1 AND superseded_at IS NULL "
            "ORDER BY effective_at DESC, recorded_at DESC LIMIT 1",
            key_result_id,
        )
        last = await conn.fetchrow(
            f"SELECT MAX(recorded_at) AS at FROM {self.p}check_ins WHERE key_result_id = $1",
            key_result_id,
        )
        metric = Metric(row["metric"])
        value = None if latest is None else float(latest["value"])
        revised = progress(metric, row["start_value"], row["target"], value)
        original = progress(metric, row["start_value"], row["original_target"], value)
        await conn.execute(
            f"UPDATE {self.p}key_results SET current_value = $1, confidence = $2, "
            "current_check_in_id = $3, effective_at = $4, last_check_in_at = $5, "
            "progress = $6, progress_unclamped = $7, original_progress = $8, "
            "original_progress_unclamped = $9, updated_at = $10, version = $11 WHERE id = $12",
            value,
            None if latest is None else latest["confidence"],
            None if latest is None else latest["id"],
            None if latest is None else latest["effective_at"],
            None if last is None else last["at"],
            revised.value,
            revised.unclamped,
            original.value,
            original.unclamped,
            iso(event.timestamp),
            event.originator_version,
            key_result_id,
        )

    @singledispatchmethod
    async def process(self, event: object, conn: Connection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: KeyResult.Created, conn: Connection, position: int) -> None:
        start = progress(Metric(event.metric), event.start, event.target, None)
        await conn.execute(
            f"INSERT INTO {self.p}key_results VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, "
            "NULL, NULL, NULL, NULL, NULL, $10, $11, $10, $11, $12, $12, $13)",
            str(event.originator_id),
            str(event.organization_id),
            str(event.objective_id),
            event.title,
            event.metric,
            event.start,
            event.target,
            event.unit,
            event.weight,
            start.value,
            start.unclamped,
            iso(event.timestamp),
            event.originator_version,
        )

    @process.register
    async def _(self, event: KeyResult.TargetRevised, conn: Connection, position: int) -> None:
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
        await conn.execute(
            f"UPDATE {self.p}key_results SET target = $1 WHERE id = $2",
            event.target,
            str(event.originator_id),
        )
        await self.refresh(conn, event)

    @process.register
    async def _(self, event: KeyResult.CheckInRecorded, conn: Connection, position: int) -> None:
        await self.refresh(conn, event)

    @process.register
    async def _(self, event: KeyResult.CheckInCorrected, conn: Connection, position: int) -> None:
        await self.refresh(conn, event)


@dataclass(frozen=True)
class KeyResultState:
    """A key result now: its stored row plus what depends on the moment of asking."""

    row: Row
    expected_progress: float
    status: TrackStatus
    stale: bool


async def key_result_state(
    conn: Connection, organization_id: str, key_result_id: str, now: datetime
) -> KeyResultState | None:
    """The key result with its track status against expected progress, and staleness."""
    row = await conn.fetchrow(
        "SELECT k.*, p.starts_on, p.ends_on, o.status AS objective_status FROM key_results k "
        "JOIN objectives o ON o.id = k.objective_id JOIN periods p ON p.id = o.period_id "
        "WHERE k.id = $1 AND k.organization_id = $2",
        key_result_id,
        organization_id,
    )
    return None if row is None else state_at(row, now)


async def past_state(
    conn: Connection, organization_id: str, row: Row, moment: datetime
) -> KeyResultState | None:
    """The state of a key result `row` replayed to `moment`, judged at that moment."""
    period = await conn.fetchrow(
        "SELECT p.starts_on, p.ends_on, o.status AS objective_status FROM objectives o "
        "JOIN periods p ON p.id = o.period_id WHERE o.id = $1 AND o.organization_id = $2",
        row["objective_id"],
        organization_id,
    )
    return None if period is None else state_at({**row, **period}, moment)


def state_at(row: Row, moment: datetime) -> KeyResultState:
    """Track status and staleness of a key result row (with its period's dates) at `moment`."""
    expected = expected_progress(
        date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"]), moment
    )
    last = datetime.fromisoformat(row["last_check_in_at"] or row["created_at"])
    return KeyResultState(
        row=row,
        expected_progress=expected,
        status=track_status(Metric(row["metric"]), row["progress"], expected),
        stale=row["objective_status"] == "ACTIVE" and moment - last > STALE_AFTER,
    )
