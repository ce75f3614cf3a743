"""The root Query: current state, state as of a past moment, history and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import strawberry
from graphql import GraphQLError

from okr.domain.errors import OkrError
from okr.domain.key_result import KeyResult as KeyResultAggregate
from okr.domain.progress import rounded
from okr.domain.values import ObjectiveKind, ObjectiveLevel, ObjectiveStatus
from okr.graphql.audit_types import Connection, Event, EventFilter, connection, event_cursor
from okr.graphql.context import Info
from okr.graphql.directory_types import Node, Organization, Period, Person, Team
from okr.graphql.event_filter import event_matcher
from okr.graphql.ids import (
    cursor,
    decode_id,
    event_position,
    moment,
    page_size,
    parse_cursor,
    parse_global_id,
)
from okr.graphql.key_result_types import CheckIn, CoachingFinding, KeyResult, replay
from okr.graphql.kpi_types import Kpi, Recognition
from okr.graphql.objective_types import Initiative, Objective
from okr.graphql.payloads import ApiToken, RowById, fresh
from okr.graphql.permissions import ADMINISTER, READ, READ_AUDIT_LOG, Permission
from okr.queries.as_of_rows import key_result_row, objective_row
from okr.queries.coaching import period_advice
from okr.queries.health import PeriodHealth
from okr.queries.health import period_health as compute_health
from okr.queries.tree_as_of import tree_as_of
from okr.views.audit_log import audit_events
from okr.views.check_in_history import check_in_by_id
from okr.views.database import Row, SqlConnection
from okr.views.directory import every_period, every_person, every_team, organization
from okr.views.objectives import ObjectiveCriteria, initiative_by_id, objectives_page
from okr.views.recognitions import recognition_by_id
from okr.views.tokens import api_token_by_id, every_api_token

SCAN_PAGE = 500


def bad_input(error: OkrError) -> GraphQLError:
    """A refused argument as a GraphQL error with a code."""
    return GraphQLError(error.message, extensions={"code": error.code, "field": error.field})


def own_id(value: strawberry.ID, type_name: str) -> str | None:
    """The raw id inside a global id of `type_name`, or None."""
    parsed = parse_global_id(value)
    return parsed[1] if parsed and parsed[0] == type_name else None


@strawberry.input
class ObjectiveFilter:
    period_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None
    lead_id: strawberry.ID | None = None
    status: ObjectiveStatus | None = None
    level: ObjectiveLevel | None = None
    kind: ObjectiveKind | None = None


@strawberry.type(
    name="PeriodHealth",
    description="How a period stands; progress figures are rounded to 6 decimal places.",
)
class Health:
    period: Period
    objectives: int
    key_results: int
    on_track: int
    at_risk: int
    off_track: int
    stale: int
    average_progress: float
    expected_progress: float
    advice: list[CoachingFinding]


@strawberry.type(description="One objective of the tree as it was known at `asOf`.")
class AlignmentNode:
    objective: Objective
    parent: Objective | None


async def load_node(info: Info, value: strawberry.ID) -> Node | None:
    """Any object by global id; another organization's ids resolve to nothing."""
    parsed = parse_global_id(value)
    if parsed is None:
        return None
    type_name, raw = parsed
    loaders = info.context.loaders
    if type_name == "Organization":
        return await organization_of(info) if raw == str(info.context.who.organization_id) else None
    simple = {
        "Person": (loaders.person, Person.of),
        "Team": (loaders.team, Team.of),
        "Period": (loaders.period, Period.of),
        "Objective": (loaders.objective, Objective.of),
        "KeyResult": (loaders.key_result, KeyResult.of),
        "Kpi": (loaders.kpi, Kpi.of),
    }
    if type_name in simple:
        loader, build = simple[type_name]
        row = await loader.load(raw)
        return None if row is None else build(row)
    unbatched: dict[str, tuple[RowById, Callable[[Row], Node]]] = {
        "CheckIn": (check_in_by_id, CheckIn.of),
        "Recognition": (recognition_by_id, Recognition.of),
        "Initiative": (initiative_by_id, Initiative.of),
    }
    if info.context.who.may(Permission.ADMINISTER):
        unbatched["ApiToken"] = (api_token_by_id, ApiToken.of)
    if type_name in unbatched:
        read, make = unbatched[type_name]
        row = await fresh(info, read, raw)
        return None if row is None else make(row)
    return None


def store_and_organization(info: Info) -> tuple[SqlConnection, str]:
    """The read store and the caller's organization id, as view query functions take them."""
    return info.context.backend.views, str(info.context.who.organization_id)


async def organization_of(info: Info) -> Organization | None:
    row = await organization(*store_and_organization(info))
    return None if row is None else Organization.of(row)


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[READ], description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await load_node(info, id)

    @strawberry.field(permission_classes=[READ], description="The caller's organization.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_of(info)

    @strawberry.field(permission_classes=[READ], description="Now, or as known at `asOf`.")
    async def objective(
        self, info: Info, id: strawberry.ID, as_of: datetime | None = None
    ) -> Objective | None:
        raw = own_id(id, "Objective")
        at = moment(as_of, "asOf")
        return None if raw is None else await Objective.load(info, raw, at)

    @strawberry.field(permission_classes=[READ], description="Now, or as known at `asOf`.")
    async def key_result(
        self, info: Info, id: strawberry.ID, as_of: datetime | None = None
    ) -> KeyResult | None:
        raw = own_id(id, "KeyResult")
        if raw is None:
            return None
        at = moment(as_of, "asOf")
        if at is None:
            row = await info.context.loaders.key_result.load(raw)
            return None if row is None else KeyResult.of(row)
        replayed = await replay(info, KeyResultAggregate, raw, at)
        return None if replayed is None else KeyResult.of(key_result_row(replayed), at)

    @strawberry.field(permission_classes=[READ])
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        node = await load_node(info, id)
        return node if isinstance(node, Person) else None

    @strawberry.field(permission_classes=[READ])
    async def team(self, info: Info, id: strawberry.ID) -> Team | None:
        node = await load_node(info, id)
        return node if isinstance(node, Team) else None

    @strawberry.field(permission_classes=[READ])
    async def period(self, info: Info, id: strawberry.ID) -> Period | None:
        node = await load_node(info, id)
        return node if isinstance(node, Period) else None

    @strawberry.field(permission_classes=[READ], description="Every period, oldest first.")
    async def periods(self, info: Info) -> list[Period]:
        rows = await every_period(*store_and_organization(info))
        return [Period.of(r) for r in rows]

    @strawberry.field(permission_classes=[READ], description="Everyone, by name.")
    async def people(self, info: Info) -> list[Person]:
        rows = await every_person(*store_and_organization(info))
        return [Person.of(r) for r in rows]

    @strawberry.field(permission_classes=[ADMINISTER], description="The API tokens, issued first.")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        rows = await every_api_token(*store_and_organization(info))
        return [ApiToken.of(r) for r in rows]

    @strawberry.field(permission_classes=[READ], description="Every team, by name.")
    async def teams(self, info: Info) -> list[Team]:
        rows = await every_team(*store_and_organization(info))
        return [Team.of(r) for r in rows]

    @strawberry.field(permission_classes=[READ], description="Objectives, oldest first.")
    async def objectives(
        self,
        info: Info,
        filter: ObjectiveFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Objective]:
        try:
            size = page_size(first)
            start = parse_cursor(after, "objective", 2)
            criteria = objective_criteria(filter or ObjectiveFilter())
        except OkrError as error:
            raise bad_input(error) from None
        rows = await objectives_page(*store_and_organization(info), criteria, start, size + 1)
        return connection(
            rows,
            size,
            lambda r: (cursor("objective", r["created_at"], r["id"]), Objective.of(r)),
            after,
        )

    @strawberry.field(permission_classes=[READ], description="How a period stands now.")
    async def health(self, info: Info, period_id: strawberry.ID) -> Health | None:
        raw = own_id(period_id, "Period")
        row = None if raw is None else await info.context.loaders.period.load(raw)
        if raw is None or row is None:
            return None
        caller = info.context.who
        now = datetime.now(UTC)
        store = info.context.backend.views
        health: PeriodHealth | None = await compute_health(
            store, str(caller.organization_id), raw, now
        )
        assert health is not None
        findings = await period_advice(
            info.context.backend.app,
            store,
            caller.context(),
            decode_id(period_id, "Period", "periodId"),
            now,
        )
        shown = replace(
            health,
            average_progress=rounded(health.average_progress),
            expected_progress=rounded(health.expected_progress),
        )
        return Health(
            period=Period.of(row),
            advice=[CoachingFinding.of(f) for f in findings],
            **vars(shown),
        )

    @strawberry.field(
        permission_classes=[READ],
        description="The whole alignment tree as known at `asOf` (default: now).",
    )
    async def alignment_tree(
        self, info: Info, as_of: datetime | None = None
    ) -> list[AlignmentNode]:
        at = moment(as_of, "asOf") or datetime.now(UTC)
        nodes = await tree_as_of(
            info.context.backend.app, info.context.backend.views, info.context.who.context(), at
        )
        built = {
            n.objective.id: Objective.of(objective_row(n.objective), at, n.objective) for n in nodes
        }
        return [
            AlignmentNode(
                objective=built[n.objective.id],
                parent=built.get(n.parent_id) if n.parent_id else None,
            )
            for n in nodes
        ]

    @strawberry.field(
        permission_classes=[READ_AUDIT_LOG], description="The audit log, in global order."
    )
    async def events(
        self,
        info: Info,
        after: str | None = None,
        first: int | None = 50,
        filter: EventFilter | None = None,
    ) -> Connection[Event]:
        store = info.context.backend.views
        try:
            size = page_size(first)
            position = event_position(after)
            matcher = await event_matcher(store, str(info.context.who.organization_id), filter)
        except OkrError as error:
            raise bad_input(error) from None
        rows = await audit_events(
            store, str(info.context.who.organization_id), position, size + 1, matcher.where
        )
        return connection(
            rows, size, lambda r: (event_cursor(int(r["position"])), Event.of(r)), after
        )


def objective_criteria(where: ObjectiveFilter) -> ObjectiveCriteria:
    """The filter with its global ids decoded; a malformed id is refused."""

    def raw(value: strawberry.ID | None, type_name: str, field: str) -> str | None:
        return None if value is None else str(decode_id(value, type_name, field))

    return ObjectiveCriteria(
        period_id=raw(where.period_id, "Period", "periodId"),
        lead_id=raw(where.lead_id, "Person", "leadId"),
        team_id=raw(where.team_id, "Team", "teamId"),
        status=where.status,
        level=where.level,
        kind=where.kind,
    )
