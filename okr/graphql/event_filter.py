"""Which events a reader asked for: one filter for the `events` query and the subscription."""

from __future__ import annotations

import json

from okr.domain.errors import InvalidInput
from okr.graphql.audit_types import EventFilter
from okr.graphql.ids import decode_id, moment, parse_global_id
from okr.views.audit_log import AuditFilter
from okr.views.base import iso
from okr.views.database import Row, SqlConnection
from okr.views.key_results import key_result_ids_of_objectives
from okr.views.objectives import objectives_of_team

MAX_TYPES = 50


AUDIT_ONLY_PREFIXES = ("ApiToken.", "IdempotencyRecord.")


class EventMatcher:
    """Matches audit rows against a filter; an objective or team filter also follows the key
    results and objectives created under it after the reader started."""

    def __init__(
        self,
        where: AuditFilter,
        objectives: set[str] | None,
        team_id: str | None,
        *,
        audit: bool = True,
    ) -> None:
        self.where = where
        self.audit = audit
        self.objectives = objectives
        self.team_id = team_id
        self.aggregates = None if where.aggregate_ids is None else set(where.aggregate_ids)

    def matches(self, row: Row) -> bool:
        if not self.audit and row["type"].startswith(AUDIT_ONLY_PREFIXES):
            return False
        if self.aggregates is not None:
            self._follow(row)
            if row["aggregate_id"] not in self.aggregates:
                return False
        where = self.where
        since = None if where.since is None else iso(where.since)
        until = None if where.until is None else iso(where.until)
        return (
            (not where.types or row["type"] in where.types)
            and (where.actor is None or row["actor"] == where.actor)
            and (since is None or row["recorded_at"] >= since)
            and (until is None or row["recorded_at"] < until)
        )

    def _follow(self, row: Row) -> None:
        assert self.aggregates is not None
        if self.objectives is None:
            return
        payload = json.loads(row["payload"])
        if row["type"] == "Objective.Created" and self.team_id in payload.get("team_ids", []):
            self.objectives.add(row["aggregate_id"])
            self.aggregates.add(row["aggregate_id"])
        if row["type"] == "KeyResult.Created" and payload.get("objective_id") in self.objectives:
            self.aggregates.add(row["aggregate_id"])


async def event_matcher(
    conn: SqlConnection, organization_id: str, where: EventFilter | None, *, audit: bool = True
) -> EventMatcher:
    """The matcher for a GraphQL filter, with the aggregates it covers resolved now.
    Callers who may not read the audit log (`audit` false) never see token or idempotency
    events."""
    if where is None:
        return EventMatcher(AuditFilter(), None, None, audit=audit)
    if where.types is not None and len(where.types) > MAX_TYPES:
        raise InvalidInput(f"at most {MAX_TYPES} types", "types")
    aggregates: set[str] | None = None
    objectives: set[str] | None = None
    team_id: str | None = None
    if where.aggregate_id is not None:
        parsed = parse_global_id(where.aggregate_id)
        aggregates = {parsed[1]} if parsed else set()
    if where.objective_id is not None:
        objectives = {str(decode_id(where.objective_id, "Objective", "objectiveId"))}
    if where.team_id is not None:
        team_id = str(decode_id(where.team_id, "Team", "teamId"))
        owned = await objectives_of_team(conn, organization_id, team_id)
        objectives = (objectives or set()) | {r["objective_id"] for r in owned}
        aggregates = (aggregates or set()) | {team_id}
    if objectives is not None:
        key_results = await key_result_ids_of_objectives(conn, organization_id, objectives)
        aggregates = (aggregates or set()) | objectives | {r["id"] for r in key_results}
    audit_filter = AuditFilter(
        types=tuple(where.types or ()),
        aggregate_ids=None if aggregates is None else tuple(sorted(aggregates)),
        actor=where.actor,
        since=moment(where.since, "since"),
        until=moment(where.until, "until"),
    )
    return EventMatcher(audit_filter, objectives, team_id, audit=audit)
