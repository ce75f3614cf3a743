"""The audit log view: every event in global order, with its chained hash."""

from __future__ import annotations

import json

from okr.infra.read_store import Connection
from okr.projections.base import Envelope, Projection
from okr.projections.ledger import GENESIS, chain, ledger_line


class AuditLog(Projection):
    """Unlike the other views it reads every event, so it handles envelopes directly."""

    name = "audit_log"
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

    async def apply(self, envelope: Envelope, conn: Connection) -> None:
        """Append the envelope's line and its hash, chained onto the last one stored."""
        last = await conn.fetchrow(
            f"SELECT chain_hash FROM {self.p}audit_log ORDER BY position DESC LIMIT 1"
        )
        line = ledger_line(envelope)
        await conn.execute(
            f"INSERT INTO {self.p}audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            envelope.position,
            line["organization_id"],
            line["type"],
            line["type"].split(".")[0],
            line["aggregate_id"],
            line["aggregate_version"],
            line["recorded_at"],
            line["actor"],
            json.dumps(line["payload"], sort_keys=True, ensure_ascii=False),
            chain(GENESIS if last is None else last["chain_hash"], line),
        )
