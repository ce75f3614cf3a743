"""The ledger line of an event and the hash chain over the log (for export and verify).

Each line is canonical JSON of position, type, aggregate id and version, recorded_at,
organization, actor and payload; its hash is sha256(previous hash + line). The chain starts
from 64 zeros, so anyone holding an export can recompute every hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from okr.views.base import Envelope, iso, plain

GENESIS = "0" * 64
_BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def ledger_line(envelope: Envelope) -> dict[str, Any]:
    """The auditor's view of one stored event."""
    event = envelope.event
    fields = {k: plain(v) for k, v in vars(event).items() if k not in _BASE_FIELDS}
    organization_id = fields.pop("organization_id")
    actor = fields.pop("actor")
    return {
        "position": envelope.position,
        "type": envelope.type,
        "aggregate_id": str(event.originator_id),
        "aggregate_version": event.originator_version,
        "recorded_at": iso(event.timestamp),
        "organization_id": organization_id,
        "actor": actor,
        "payload": fields,
    }


def canonical(line: dict[str, Any]) -> str:
    """The line as canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain(previous: str, line: dict[str, Any]) -> str:
    """The hash of `line` chained onto `previous`."""
    return hashlib.sha256((previous + canonical(line)).encode()).hexdigest()
