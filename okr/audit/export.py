"""Export the log as hash-chained JSON Lines, and check an export's chain."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from okr.views.base import iso
from okr.views.event_feed import EventFeed
from okr.views.hash_chain import GENESIS, canonical, chain, ledger_line

PAGE = 1000


@dataclass(frozen=True)
class ExportFilter:
    """Which events to export: one organization, and a [since, until) range of recorded_at."""

    organization_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def export_lines(source: EventFeed, where: ExportFilter) -> AsyncIterator[str]:
    """The log as JSON Lines, a page at a time; each line's `hash` chains the previous line."""
    since = None if where.since is None else iso(where.since)
    until = None if where.until is None else iso(where.until)
    previous = GENESIS
    after = 0
    while page := await source.read(after, PAGE):
        after = page[-1].position
        for envelope in page:
            line = ledger_line(envelope)
            if (
                where.organization_id is not None
                and line["organization_id"] != where.organization_id
            ):
                continue
            if (since is not None and line["recorded_at"] < since) or (
                until is not None and line["recorded_at"] >= until
            ):
                continue
            previous = chain(previous, line)
            yield canonical({**line, "hash": previous})


def check_export(lines: list[str], earlier_head: str | None = None) -> str | None:
    """None if every line's hash chains correctly from the first (and `earlier_head`, if
    given, is one of them), else what is wrong."""
    previous = GENESIS
    seen_head = earlier_head is None
    for number, text in enumerate(lines, start=1):
        try:
            line = json.loads(text)
            claimed = line.pop("hash")
            position = line["position"]
        except (ValueError, KeyError, TypeError, AttributeError):
            return f"line {number} is not an export line (JSON with a hash and a position)"
        previous = chain(previous, line)
        if claimed != previous:
            return f"line {number} (position {position}) does not match its hash"
        seen_head = seen_head or previous == earlier_head
    if not seen_head:
        return "the earlier head hash is not in this export's chain"
    return None
