"""The audit log view: every event in global order, with its chained hash."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from okr.views.base import Envelope, View, iso
from okr.views.database import Row, SqlConnection
from okr.views.hash_chain import GENESIS, chain, ledger_line


class AuditLog(View):
    """Unlike the other views it reads every event, so it handles envelopes directly."""

    name = "audit_log"
    version = 1
    reads = ()
    tables = {
        "audit_log": "position BIGINT PRIMARY KEY, organization_id TEXT NOT NULL, "
        "type TEXT NOT NULL, aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, "
        "aggregate_version BIGINT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, "
        "payload TEXT NOT NULL, chain_hash TEXT NOT NULL",
    }
    indexes = {
        "audit_log_org": "audit_log (organization_id, position)",
        "audit_log_aggregate": "audit_log (aggregate_id, position)",
    }

    async def apply_batch(self, batch: Sequence[Envelope], conn: SqlConnection) -> None:
        """Append each envelope's line and its hash, chained onto the last one stored."""
        last = await conn.fetchrow(
            f"SELECT chain_hash FROM {self.p}audit_log ORDER BY position DESC LIMIT 1"
        )
        previous = GENESIS if last is None else last["chain_hash"]
        for envelope in batch:
            line = ledger_line(envelope)
            previous = chain(previous, line)
            await conn.append(
                f"{self.p}audit_log",
                [
                    (
                        envelope.position,
                        line["organization_id"],
                        line["type"],
                        line["type"].split(".")[0],
                        line["aggregate_id"],
                        line["aggregate_version"],
                        line["recorded_at"],
                        line["actor"],
                        json.dumps(line["payload"], sort_keys=True, ensure_ascii=False),
                        previous,
                    )
                ],
            )


@dataclass(frozen=True)
class AuditFilter:
    """Which audit-log entries to list; every field narrows the result."""

    types: tuple[str, ...] = ()
    aggregate_ids: tuple[str, ...] | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def audit_events(
    conn: SqlConnection, organization_id: str, after: int, limit: int, where: AuditFilter
) -> list[Row]:
    """One organization's events after position `after`, in global order."""
    clauses = ["organization_id = $1", "position > $2"]
    params: list[object] = [organization_id, after]

    def add(clause: str, value: object) -> None:
        params.append(value)
        clauses.append(clause.replace("?", f"${len(params)}"))

    def add_in(column: str, values: tuple[str, ...]) -> None:
        marks = ", ".join(f"${len(params) + n + 1}" for n in range(len(values)))
        params.extend(values)
        clauses.append(f"{column} IN ({marks})" if values else "1 = 0")

    if where.types:
        add_in("type", where.types)
    if where.aggregate_ids is not None:
        add_in("aggregate_id", where.aggregate_ids)
    if where.actor is not None:
        add("actor = ?", where.actor)
    if where.since is not None:
        add("recorded_at >= ?", iso(where.since))
    if where.until is not None:
        add("recorded_at < ?", iso(where.until))
    params.append(limit)
    return await conn.fetch(
        f"SELECT * FROM audit_log WHERE {' AND '.join(clauses)} "
        f"ORDER BY position LIMIT ${len(params)}",
        *params,
    )


async def latest_audit_position(conn: SqlConnection) -> int:
    """The position of the last event in the audit log, of any organization; 0 when empty."""
    row = await conn.fetchrow("SELECT MAX(position) AS position FROM audit_log")
    return int(row["position"] or 0) if row else 0


async def audit_events_of_all(conn: SqlConnection, after: int, limit: int) -> list[Row]:
    """Up to `limit` events of every organization after position `after`, in global order."""
    return await conn.fetch(
        "SELECT * FROM audit_log WHERE position > $1 ORDER BY position LIMIT $2", after, limit
    )


async def first_audit_position_after(conn: SqlConnection, after: int) -> int | None:
    """The position of the first event in the audit log after `after`, of any organization."""
    row = await conn.fetchrow(
        "SELECT MIN(position) AS position FROM audit_log WHERE position > $1", after
    )
    return None if row is None or row["position"] is None else int(row["position"])


async def audit_hashes(conn: SqlConnection, after: int, up_to: int) -> dict[int, str]:
    """The chain hash recorded at each position in (`after`, `up_to`], of any organization."""
    rows = await conn.fetch(
        "SELECT position, chain_hash FROM audit_log WHERE position > $1 AND position <= $2",
        after,
        up_to,
    )
    return {int(r["position"]): r["chain_hash"] for r in rows}
