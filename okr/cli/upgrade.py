"""`okr upgrade`: the records today's rules need that older versions did not write."""

from __future__ import annotations

from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl
from okr.services.upgrade import claim_period_names


def run(url: DatabaseUrl) -> int:
    """Claim the names of existing periods; safe to run again."""
    app = open_application(url)
    try:
        report = claim_period_names(app)
    finally:
        app.close()
    print(
        f"period names: {report.claimed} claimed, {report.already} already claimed, "
        f"{len(report.duplicates)} shared with an earlier period"
    )
    for period_id, holder in report.duplicates:
        print(f"  period {period_id} has the name of period {holder} (okr check lists it)")
    return 0
