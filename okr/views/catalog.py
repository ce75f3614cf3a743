"""Every read model, in the order each event is applied to them."""

from __future__ import annotations

from okr.views.audit_log import AuditLog
from okr.views.base import View
from okr.views.check_in_history import CheckInHistory
from okr.views.directory import Directory
from okr.views.key_results import KeyResults
from okr.views.kpis import Kpis
from okr.views.objectives import Objectives
from okr.views.recognitions import Recognitions
from okr.views.tokens import Tokens


def all_views(prefix: str = "") -> list[View]:
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
