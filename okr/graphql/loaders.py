"""Batched loads of view rows, created afresh for every operation (never per connection).

Every per-object read of a list's resolvers goes through one of these, so a page of objectives
costs the same number of statements whatever its size."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

from strawberry.dataloader import DataLoader

from okr.domain.coaching import Finding
from okr.domain.errors import OkrError
from okr.queries.coaching import advice_of_objectives
from okr.queries.key_result_history import (
    HistoryPoint,
    Interval,
    ProgressPoint,
    histories_of_key_results,
    objective_progress_histories,
)
from okr.queries.key_results_as_of import key_results_as_of
from okr.views import check_in_history, directory, key_results, kpis, objectives
from okr.views.database import Row, SqlConnection
from okr.views.objectives import Collaboration

A = TypeVar("A", bound=Hashable)
V = TypeVar("V")

RowsOf = Callable[[SqlConnection, str, Sequence[str]], Awaitable[list[Row]]]
"""A view's query function: the organization's rows for a batch of keys."""

ValuesOf = Callable[[SqlConnection, str, Sequence[str], A], Awaitable[Mapping[str, V]]]
"""A query function: a value for each of a batch of ids, all asked with the same arguments."""


@dataclass(frozen=True)
class HistoryRange:
    """What a history field asks for: points over [start, end] by `interval`, as known at
    `as_of` (now when None)."""

    start: date
    end: date
    interval: Interval
    as_of: datetime | None


def _by_id(store: SqlConnection, read: RowsOf, organization_id: str) -> DataLoader[str, Row | None]:
    async def load(ids: Sequence[str]) -> list[Row | None]:
        rows = await read(store, organization_id, ids)
        found = {r["id"]: r for r in rows}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _grouped(
    store: SqlConnection, read: RowsOf, key: str, organization_id: str
) -> DataLoader[str, list[Row]]:
    async def load(ids: Sequence[str]) -> list[list[Row]]:
        rows = await read(store, organization_id, ids)
        grouped: dict[str, list[Row]] = {i: [] for i in ids}
        for row in rows:
            grouped[row[key]].append(row)
        return [grouped[i] for i in ids]

    return DataLoader(load_fn=load)


def _valued(
    store: SqlConnection,
    read: Callable[[SqlConnection, str, Sequence[str]], Awaitable[Mapping[str, V]]],
    organization_id: str,
) -> DataLoader[str, V]:
    async def load(ids: Sequence[str]) -> list[V]:
        found = await read(store, organization_id, ids)
        return [found[i] for i in ids]

    return DataLoader(load_fn=load)


def _asked(
    store: SqlConnection, read: ValuesOf[A, V], organization_id: str
) -> DataLoader[tuple[str, A], V]:
    """Keys are (id, arguments): one read per distinct arguments in a batch. A refused
    argument (an OkrError) fails only the fields that asked with it."""

    async def load(keys: Sequence[tuple[str, A]]) -> list[V | BaseException]:
        ids_by_arguments: dict[A, list[str]] = {}
        for raw, arguments in keys:
            ids_by_arguments.setdefault(arguments, []).append(raw)
        found: dict[A, Mapping[str, V] | OkrError] = {}
        for arguments, ids in ids_by_arguments.items():
            try:
                found[arguments] = await read(store, organization_id, ids, arguments)
            except OkrError as error:
                found[arguments] = error
        answers: list[V | BaseException] = []
        for raw, arguments in keys:
            values = found[arguments]
            answers.append(values if isinstance(values, OkrError) else values[raw])
        return answers

    return DataLoader(load_fn=load)


async def _check_ins_known(
    store: SqlConnection, organization_id: str, ids: Sequence[str], as_of: datetime | None
) -> Mapping[str, list[Row]]:
    rows = await check_in_history.check_ins_of_key_results_known_at(
        store, organization_id, ids, as_of
    )
    grouped: dict[str, list[Row]] = {i: [] for i in ids}
    for row in rows:
        grouped[row["key_result_id"]].append(row)
    return grouped


async def _progress_histories(
    store: SqlConnection, organization_id: str, ids: Sequence[str], asked: HistoryRange
) -> Mapping[str, list[ProgressPoint] | None]:
    return await objective_progress_histories(
        store, organization_id, ids, asked.start, asked.end, asked.interval, asked.as_of
    )


async def _advice_now(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> dict[str, list[Finding]]:
    return await advice_of_objectives(conn, organization_id, objective_ids, datetime.now(UTC))


class Loaders:
    """One operation's loaders, all limited to the caller's organization."""

    def __init__(self, store: SqlConnection, organization_id: str) -> None:
        org = organization_id
        self.person = _by_id(store, directory.people_by_ids, org)
        self.team = _by_id(store, directory.teams_by_ids, org)
        self.period = _by_id(store, directory.periods_by_ids, org)
        self.objective = _by_id(store, objectives.objectives_by_ids, org)
        self.key_result = _by_id(store, key_results.key_results_by_ids, org)
        self.kpi = _by_id(store, kpis.kpis_by_ids, org)
        self.key_results_of = _grouped(
            store, key_results.key_results_of_objectives, "objective_id", org
        )
        self.children_of = _grouped(
            store, objectives.children_of_objectives, "parent_objective_id", org
        )
        self.ancestors_of = _grouped(
            store, objectives.ancestors_of_objectives, "descendant_id", org
        )
        self.teams_of_objective = _grouped(
            store, objectives.teams_of_objectives, "objective_id", org
        )
        self.contributors_of = _grouped(
            store, objectives.contributors_of_objectives, "objective_id", org
        )
        self.initiatives_of = _grouped(
            store, objectives.initiatives_of_objectives, "objective_id", org
        )
        self.members_of = _grouped(store, directory.members_of_teams, "team_id", org)
        self.schedule_of_objective = _grouped(
            store, objectives.schedules_of_objectives, "objective_id", org
        )
        self.teams_of_person = _grouped(store, directory.teams_of_people, "person_id", org)
        self.check_ins_of = _grouped(
            store, check_in_history.every_check_in_of_key_results, "key_result_id", org
        )
        self.collaboration: DataLoader[str, Collaboration | None] = _valued(
            store, objectives.collaborations_of_objectives, org
        )
        self.check_ins_known = _asked(store, _check_ins_known, org)
        self.key_result_as_of: DataLoader[tuple[str, datetime], Row | None] = _asked(
            store, key_results_as_of, org
        )
        self.advice: DataLoader[str, list[Finding]] = _valued(store, _advice_now, org)
        self.history = _asked(store, _histories_reading(self.key_result), org)
        self.progress_history = _asked(store, _progress_histories, org)


def _histories_reading(
    key_result: DataLoader[str, Row | None],
) -> ValuesOf[HistoryRange, list[HistoryPoint] | None]:
    """Histories of key results whose rows `key_result` may already have loaded. It holds
    that loader, not the `Loaders` (as a method of theirs would): no reference cycle leaves an
    operation's loaders to the garbage collector."""

    async def histories(
        store: SqlConnection, organization_id: str, ids: Sequence[str], asked: HistoryRange
    ) -> Mapping[str, list[HistoryPoint] | None]:
        rows = await key_result.load_many(ids)
        return await histories_of_key_results(
            store, organization_id, ids, rows, asked.start, asked.end, asked.interval, asked.as_of
        )

    return histories
