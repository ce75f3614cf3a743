"""Who works on objectives: their teams, contributors and collaboration, and the
objective's summary with its weighted progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from okr.domain.progress import weighted_progress
from okr.views.base import (
    marks,
)
from okr.views.database import Row, SqlConnection
from okr.views.directory import (
    current_teams_of_people,
    people_by_name,
    teams_by_name,
)
from okr.views.key_results import key_results_of_objectives
from okr.views.objectives.rows import objective_by_id


class Collaboration(StrEnum):
    FUNCTIONAL = "FUNCTIONAL"
    CROSS_FUNCTIONAL = "CROSS_FUNCTIONAL"


@dataclass(frozen=True)
class ObjectiveSummary:
    """An objective now: its row, teams, contributors and progress rolled up by weight."""

    row: Row
    team_ids: list[str]
    contributor_ids: list[str]
    progress: float
    collaboration: Collaboration | None


def collaboration(teams_by_contributor: dict[str, set[str]]) -> Collaboration | None:
    """FUNCTIONAL when one team holds every contributor, else CROSS_FUNCTIONAL."""
    if not teams_by_contributor:
        return None
    shared = set.intersection(*teams_by_contributor.values())
    return Collaboration.FUNCTIONAL if shared else Collaboration.CROSS_FUNCTIONAL


async def objective_summary(
    conn: SqlConnection, organization_id: str, objective_id: str
) -> ObjectiveSummary | None:
    """The objective now, with its teams, contributors, collaboration and weighted progress;
    None if the organization has no such objective."""
    row = await objective_by_id(conn, organization_id, objective_id)
    if row is None:
        return None
    teams = await teams_of_objectives(conn, organization_id, [objective_id])
    contributors = await contributors_of_objectives(conn, organization_id, [objective_id])
    collaborations = await collaborations_of_objectives(conn, organization_id, [objective_id])
    key_results = await key_results_of_objectives(conn, organization_id, [objective_id])
    return ObjectiveSummary(
        row=row,
        team_ids=sorted(t["id"] for t in teams),
        contributor_ids=sorted(c["id"] for c in contributors),
        progress=weighted_progress(
            (k["weight"], k["progress"]) for k in sorted(key_results, key=lambda k: k["id"])
        ),
        collaboration=collaborations[objective_id],
    )


async def teams_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The teams owning these objectives (team columns, plus `objective_id`), by name."""
    owned = await conn.fetch(
        "SELECT objective_id, team_id FROM objective_teams "
        f"WHERE objective_id IN ({marks(len(objective_ids), 1)})",
        *objective_ids,
    )
    teams = await teams_by_name(conn, organization_id, sorted({r["team_id"] for r in owned}))
    return _linked(owned, "team_id", teams)


async def contributors_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> list[Row]:
    """The people contributing to these objectives (person columns, plus `objective_id`),
    by name."""
    linked = await conn.fetch(
        "SELECT objective_id, person_id FROM contributors "
        f"WHERE objective_id IN ({marks(len(objective_ids), 1)})",
        *objective_ids,
    )
    people = await people_by_name(conn, organization_id, sorted({r["person_id"] for r in linked}))
    return _linked(linked, "person_id", people)


async def collaborations_of_objectives(
    conn: SqlConnection, organization_id: str, objective_ids: Sequence[str]
) -> dict[str, Collaboration | None]:
    """Each objective's `collaboration` by its contributors' current teams; None for one
    without contributors, or not of the organization."""
    links = await conn.fetch(
        "SELECT c.objective_id, c.person_id FROM contributors c "
        "JOIN objectives o ON o.id = c.objective_id WHERE o.organization_id = $1 "
        f"AND c.objective_id IN ({marks(len(objective_ids), 2)})",
        organization_id,
        *objective_ids,
    )
    teams_of: dict[str, set[str]] = {link["person_id"]: set() for link in links}
    for membership in await current_teams_of_people(conn, organization_id, sorted(teams_of)):
        teams_of[membership["person_id"]].add(membership["team_id"])
    contributors: dict[str, dict[str, set[str]]] = {i: {} for i in objective_ids}
    for link in links:
        contributors[link["objective_id"]][link["person_id"]] = teams_of[link["person_id"]]
    return {i: collaboration(contributors[i]) for i in objective_ids}


def _linked(links: list[Row], key: str, rows: list[Row]) -> list[Row]:
    """Each of `rows` (in their order) with the `objective_id` of every link whose `key` is
    its id."""
    by_row: dict[str, list[str]] = {}
    for link in links:
        by_row.setdefault(link[key], []).append(link["objective_id"])
    return [{"objective_id": o, **row} for row in rows for o in by_row.get(row["id"], [])]
