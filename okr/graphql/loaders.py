"""Batched loads of view rows, created afresh for every operation (never per connection)."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from okr.infra.read_store import ReadStore, Row


def _by_id(store: ReadStore, table: str, organization_id: str) -> DataLoader[str, Row | None]:
    async def load(ids: Sequence[str]) -> list[Row | None]:
        marks = ", ".join(f"${n + 2}" for n in range(len(ids)))
        rows = await store.fetch(
            f"SELECT * FROM {table} WHERE organization_id = $1 AND id IN ({marks})",  # noqa: S608
            organization_id,
            *ids,
        )
        found = {r["id"]: r for r in rows}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _grouped(
    store: ReadStore, sql: str, key: str, organization_id: str
) -> DataLoader[str, list[Row]]:
    async def load(ids: Sequence[str]) -> list[list[Row]]:
        marks = ", ".join(f"${n + 2}" for n in range(len(ids)))
        rows = await store.fetch(sql.format(marks=marks), organization_id, *ids)
        grouped: dict[str, list[Row]] = {i: [] for i in ids}
        for row in rows:
            grouped[row[key]].append(row)
        return [grouped[i] for i in ids]

    return DataLoader(load_fn=load)


class Loaders:
    """One operation's loaders, all limited to the caller's organization."""

    def __init__(self, store: ReadStore, organization_id: str) -> None:
        org = organization_id
        self.person = _by_id(store, "people", org)
        self.team = _by_id(store, "teams", org)
        self.period = _by_id(store, "periods", org)
        self.objective = _by_id(store, "objectives", org)
        self.key_result = _by_id(store, "key_results", org)
        self.kpi = _by_id(store, "kpis", org)
        self.key_results_of = _grouped(
            store,
            "SELECT * FROM key_results WHERE organization_id = $1 AND objective_id IN ({marks}) "
            "ORDER BY created_at, id",
            "objective_id",
            org,
        )
        self.children_of = _grouped(
            store,
            "SELECT * FROM objectives WHERE organization_id = $1 "
            "AND parent_objective_id IN ({marks}) ORDER BY created_at, id",
            "parent_objective_id",
            org,
        )
        self.teams_of_objective = _grouped(
            store,
            "SELECT ot.objective_id, t.* FROM objective_teams ot JOIN teams t ON t.id = ot.team_id "
            "WHERE t.organization_id = $1 AND ot.objective_id IN ({marks}) ORDER BY t.name",
            "objective_id",
            org,
        )
        self.contributors_of = _grouped(
            store,
            "SELECT c.objective_id, p.* FROM contributors c JOIN people p ON p.id = c.person_id "
            "WHERE p.organization_id = $1 AND c.objective_id IN ({marks}) ORDER BY p.name",
            "objective_id",
            org,
        )
        self.initiatives_of = _grouped(
            store,
            "SELECT * FROM initiatives WHERE organization_id = $1 AND objective_id IN ({marks}) "
            "ORDER BY updated_at, id",
            "objective_id",
            org,
        )
        self.members_of = _grouped(
            store,
            "SELECT m.team_id, m.joined_at, m.left_at, p.* FROM memberships m "
            "JOIN people p ON p.id = m.person_id WHERE m.organization_id = $1 "
            "AND m.team_id IN ({marks}) ORDER BY m.joined_at, p.name",
            "team_id",
            org,
        )
        self.schedule_of_objective = _grouped(
            store,
            "SELECT o.id AS objective_id, o.status AS objective_status, p.starts_on, p.ends_on "
            "FROM objectives o JOIN periods p ON p.id = o.period_id "
            "WHERE o.organization_id = $1 AND o.id IN ({marks})",
            "objective_id",
            org,
        )
        self.teams_of_person = _grouped(
            store,
            "SELECT m.person_id, m.joined_at, m.left_at, t.* FROM memberships m "
            "JOIN teams t ON t.id = m.team_id WHERE m.organization_id = $1 "
            "AND m.person_id IN ({marks}) ORDER BY m.joined_at, t.name",
            "person_id",
            org,
        )
