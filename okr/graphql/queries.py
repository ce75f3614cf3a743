"""The root Query: current state, state as of a past moment, history and the audit log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import strawberry
from graphql import GraphQLError
from strawberry import relay

from okr.domain.errors import OkrError
from okr.domain.progress import rounded
from okr.graphql.audit_types import Event, EventFilter, event_cursor
from okr.graphql.context import Info
from okr.graphql.directory_types import Organization, Period, Person, Team
from okr.graphql.event_filter import event_matcher
from okr.graphql.ids import cursor, event_position, moment, page_size, parse_cursor
from okr.graphql.key_result_types import CoachingFinding, KeyResult
from okr.graphql.node import load_node, own_id, store_and_organization
from okr.graphql.objective_filter import ObjectiveFilter, objective_criteria
from okr.graphql.objective_types import Objective
from okr.graphql.pages import Page
from okr.graphql.permissions import ADMINISTER, READ, READ_AUDIT_LOG
from okr.graphql.token_types import ApiToken
from okr.queries.as_of_rows import objective_row
from okr.queries.coaching import period_advice
from okr.queries.health import PeriodHealth
from okr.queries.health import period_health as compute_health
from okr.queries.tree_as_of import tree_as_of
from okr.views.audit_log import audit_events
from okr.views.directory import every_period, every_person, every_team
from okr.views.objectives import every_objective, objectives_page
from okr.views.tokens import every_api_token


def bad_input(error: OkrError) -> GraphQLError:
    """A refused argument as a GraphQL error with a code."""
    return GraphQLError(error.message, extensions={"code": error.code, "field": error.field})


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


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[READ], description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        return await load_node(info, id)

    @strawberry.field(permission_classes=[READ], description="The caller's organization.")
    async def organization(self, info: Info) -> Organization | None:
        return await Organization.find(info, str(info.context.who.organization_id))

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
        then = await info.context.loaders.key_result_as_of.load((raw, at))
        return None if then is None else KeyResult.of(then, at)

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
    ) -> Page[Objective]:
        try:
            size = page_size(first)
            start = parse_cursor(after, "objective", 2)
            criteria = objective_criteria(filter or ObjectiveFilter())
        except OkrError as error:
            raise bad_input(error) from None
        rows = await objectives_page(*store_and_organization(info), criteria, start, size + 1)
        return Page.of(
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
        findings = await period_advice(store, str(caller.organization_id), raw, now)
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
        at = moment(as_of, "asOf")
        if at is None or at >= datetime.now(UTC):
            backend, organization_id = store_and_organization(info)
            rows = await every_objective(backend, organization_id)
            current = {r["id"]: Objective.of(r) for r in rows}
            return [
                AlignmentNode(
                    objective=current[r["id"]],
                    parent=current.get(r["parent_objective_id"] or ""),
                )
                for r in rows
            ]
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
    ) -> Page[Event]:
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
        return Page.of(rows, size, lambda r: (event_cursor(int(r["position"])), Event.of(r)), after)
