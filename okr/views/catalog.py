"""Every read model, ordered so each view comes after the views it declares it reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from okr.views.audit_log import AuditLog
from okr.views.base import View
from okr.views.check_in_history import CheckInHistory
from okr.views.directory import Directory
from okr.views.key_results import KeyResults
from okr.views.kpis import Kpis
from okr.views.objectives import Objectives
from okr.views.recognitions import Recognitions
from okr.views.tokens import Tokens


class CatalogError(ValueError):
    """The views' `reads` name a view that is not there, or form a cycle."""


T = TypeVar("T", View, type[View])


def in_order(views: Iterable[T]) -> list[T]:
    """`views` (classes or instances) with each after the views it reads, otherwise in the
    order given. A view reads another by name, so a subclass with the same name stands in."""
    pending = list(views)
    names = {view.name for view in pending}
    for view in pending:
        missing = [read.name for read in view.reads if read.name not in names]
        if missing:
            raise CatalogError(f"{view.name} reads {', '.join(missing)}, which is not a view")
    ordered: list[T] = []
    placed: set[str] = set()
    while pending:
        ready = next((v for v in pending if all(r.name in placed for r in v.reads)), None)
        if ready is None:
            cycle = ", ".join(view.name for view in pending)
            raise CatalogError(f"the views {cycle} read each other in a cycle")
        pending.remove(ready)
        ordered.append(ready)
        placed.add(ready.name)
    return ordered


VIEWS: tuple[type[View], ...] = tuple(
    in_order(
        [
            Directory,
            Objectives,
            CheckInHistory,
            KeyResults,
            Kpis,
            Recognitions,
            Tokens,
            AuditLog,
        ]
    )
)


def all_views(prefix: str = "", views: Sequence[type[View]] = VIEWS) -> list[View]:
    """Fresh instances of every view (or of `views`, in order), with tables named `prefix`...,
    each reading the instances made here of the views it reads."""
    made: dict[str, View] = {}
    for view in in_order(views):
        made[view.name] = view(prefix, {read.name: made[read.name] for read in view.reads})
    return list(made.values())
