"""Batched loads of view rows, created afresh for every operation (never per connection)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from okr.views import directory, key_results, kpis, objectives
from okr.views.database import Row, SqlConnection

RowsOf = Callable[[SqlConnection, str, Sequence[str]], Awaitable[list[Row]]]
"""A view's query function: the organization's rows for a batch of keys."""


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
