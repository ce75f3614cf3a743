"""Every read model, in the order each event is applied to them."""

from __future__ import annotations

from okr.projections.audit_log import AuditLog
from okr.projections.base import Projection
from okr.projections.check_in_history import CheckInHistory
from okr.projections.directory import Directory
from okr.projections.key_results import KeyResults
from okr.projections.kpis import Kpis
from okr.projections.objectives import Objectives
from okr.projections.recognitions import Recognitions
from okr.projections.tokens import Tokens


def all_projections(prefix: str = "") -> list[Projection]:
    """Fresh instances of every view; CheckInHistory comes before KeyResults, which reads it."""
    return [
        Directory(prefix),
        Objectives(prefix),
        CheckInHistory(prefix),
        KeyResults(prefix),
        Kpis(prefix),
        Recognitions(prefix),
        Tokens(prefix),
        AuditLog(prefix),
    ]
