"""Verify the stored events against the audit log's hash chain."""

from __future__ import annotations

from dataclasses import dataclass, field

from okr.audit.export import PAGE
from okr.views.audit_log import audit_hashes, first_audit_position_after, latest_audit_position
from okr.views.base import Envelope
from okr.views.database import SqlConnection
from okr.views.event_feed import EventFeed
from okr.views.hash_chain import GENESIS, chain, ledger_line


@dataclass
class Verification:
    """What `okr verify` found."""

    head: str = GENESIS
    position: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)
    earlier_head_at: int | None = None


async def verify(
    source: EventFeed, conn: SqlConnection, earlier_head: str | None = None
) -> Verification:
    """Recompute the chain from the stored events and compare it with the audit log's hashes.

    An altered or reordered event breaks the chain at its position; an event the audit log
    holds but the store lacks is missing. `earlier_head`, a head an auditor kept, must appear
    in the recomputed chain for the log to still extend it.
    """
    result = Verification()
    after = 0
    while True:
        page = await source.read(after, PAGE)
        if not page:
            beyond = await first_audit_position_after(conn, after)
            if beyond is None:
                break
            if await source.read(after, 1):
                continue
            result.problems.append(missing(beyond))
            return result
        problem = await _check_page(conn, page, after, result, earlier_head)
        if problem is not None:
            result.problems.append(problem)
            return result
        after = page[-1].position
    if earlier_head not in (None, GENESIS) and result.earlier_head_at is None:
        result.problems.append(
            "the earlier head hash is not in the chain: the log no longer extends it"
        )
    return result


async def _check_page(
    conn: SqlConnection,
    page: list[Envelope],
    after: int,
    result: Verification,
    earlier_head: str | None,
) -> str | None:
    """Chain one page of stored events onto `result`; the first problem found, if any."""
    stored = await audit_hashes(conn, after, page[-1].position)
    lost = sorted(set(stored) - {e.position for e in page})
    if lost:
        return missing(lost[0])
    chained = await latest_audit_position(conn)
    for envelope in page:
        result.head = chain(result.head, ledger_line(envelope))
        result.position = envelope.position
        result.events += 1
        recorded = stored.get(envelope.position)
        if recorded is None and envelope.position < chained:
            return (
                f"position {envelope.position}: in the store but not in the audit chain "
                "(the audit log was edited)"
            )
        if recorded is not None and recorded != result.head:
            return (
                f"position {envelope.position}: the stored event does not match the audit "
                "chain (altered, reordered, or an earlier event is missing)"
            )
        if result.head == earlier_head:
            result.earlier_head_at = envelope.position
    return None


def missing(position: int) -> str:
    return f"position {position}: recorded in the audit log, missing from the store"
