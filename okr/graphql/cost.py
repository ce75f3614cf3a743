"""What an operation costs, worked out from its document and variables before it runs.

As Shopify counts: an object costs 1, a scalar or an enum 0, an interface the most any of its
types would. A list multiplies its items' cost by its size: a connection's page (`first`, else
its default) for its `nodes` and `edges`, the points a history asks for (from `from`, `to` and
`interval`, at most MAX_POINTS), else the size SIZES assumes. A field in WEIGHTS adds its
weight each time it is asked; an objective or key result read `asOf` a past moment costs
AS_OF, not 1; a mutation's root field costs MUTATION. Introspection is
free, and a field that @skip or @include leaves out costs nothing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    VariableValues,
    coerce_input_literal,
    get_directive_values,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    get_variable_values,
    is_abstract_type,
    is_list_type,
)
from graphql.language import SelectionNode
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.execution import StreamExecutionResult

from okr.domain.coaching import MAX_KEY_RESULTS
from okr.graphql.admission import Refused
from okr.graphql.context import RequestContext
from okr.graphql.ids import MAX_PAGE
from okr.queries.key_result_history import MAX_POINTS, Interval

MAX_QUERY_COST = 50_000
"""The default limit: over the costliest query the README, the tests and the benchmark send
(32,010), a third of the hostile query of issue 11 (156,101)."""

SIZES: Mapping[str, int] = {
    "Objective.keyResults": MAX_KEY_RESULTS,
    "Objective.children": 10,
    "Objective.ancestors": 5,
    "Objective.teams": 3,
    "Objective.contributors": 10,
    "Objective.initiatives": 5,
    "Objective.advice": 5,
    "KeyResult.checkIns": 20,
    "Person.memberships": 5,
    "Team.members": 20,
    "Team.memberships": 30,
    "PeriodHealth.advice": 20,
    "Query.alignmentTree": 1000,
    "Query.people": 1000,
    "Query.teams": 100,
    "Query.periods": 20,
    "Query.apiTokens": 20,
}
"""The assumed size of each list without a page argument; any other (`userErrors`) counts 10.
The coaching rules keep an objective to MAX_KEY_RESULTS; `alignmentTree` is every objective."""
OTHER_LIST = 10
WEIGHTS: Mapping[str, int] = {
    "Query.health": 50,
    "Query.alignmentTree": 10,
    "Query.events": 10,
    "Subscription.events": 10,
    "KeyResult.history": 5,
    "Objective.progressHistory": 5,
}
"""What a field costs beyond the objects it returns, each time it is asked."""
AS_OF: Mapping[str, int] = {"Objective": 10, "KeyResult": 2}
"""What an object read as of a past moment costs: an objective is folded from its events, key
results are read from the bitemporal tables, many at once."""
AS_OF_ROOTS = frozenset({"Query.objective", "Query.keyResult", "Query.alignmentTree"})
HISTORIES = frozenset({"KeyResult.history", "Objective.progressHistory"})
MUTATION = 10


def too_costly(cost: int, limit: int) -> GraphQLError:
    """The refusal of an operation over the limit, with its cost."""
    return GraphQLError(
        f"The operation costs {cost}, over the limit of {limit}: ask for smaller pages "
        "or fewer nested lists.",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit},
    )


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The cost of the operation of a valid `document`, with `variables` as sent; variables
    that do not coerce count as not given."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    definitions = operation.variable_definitions or ()
    coerced = get_variable_values(schema, definitions, dict(variables or {}))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = schema.get_root_type(operation.operation)
    assert root is not None
    walk = Walk(schema, fragments, coerced if isinstance(coerced, VariableValues) else None)
    return walk.selections((operation.selection_set,), root, then=False, page=None)


class Walk:
    """One operation's walk; a selection already costed in the same place is not walked
    again, so fragments spread many times cost time once."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues | None,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.known: dict[tuple[object, ...], int] = {}

    def selections(
        self, sets: Sequence[SelectionSetNode], kind: Any, *, then: bool, page: int | None
    ) -> int:
        """The cost of `sets` (merged, as execution merges them) on an object of `kind`, the
        most of its possible types' if it is an interface."""
        key = (*map(id, sets), kind.name, then, page)
        if key not in self.known:
            kinds = self.schema.get_possible_types(kind) if is_abstract_type(kind) else [kind]
            self.known[key] = max(
                sum(
                    self.field(nodes, one, then=then, page=page)
                    for nodes in self.collect(sets, one).values()
                    if not nodes[0].name.value.startswith("__")
                )
                for one in kinds
            )
        return self.known[key]

    def field(
        self, nodes: list[FieldNode], parent: GraphQLObjectType, *, then: bool, page: int | None
    ) -> int:
        """The cost of a field (its nodes merged) asked of one `parent` object."""
        node = nodes[0]
        definition = parent.fields[node.name.value]
        place = f"{parent.name}.{node.name.value}"
        cost = WEIGHTS.get(place, 0) + (MUTATION if parent is self.schema.mutation_type else 0)
        kind = get_named_type(definition.type)
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if not sets:
            return cost
        if place in AS_OF_ROOTS:
            then = then or self.argument(node, definition, "asOf") is not None
        each = (AS_OF.get(kind.name, 1) if then else 1) + self.selections(
            sets, kind, then=then, page=self.page(node, definition)
        )
        if not is_list_type(get_nullable_type(definition.type)):
            return cost + each
        if place in HISTORIES:
            size = self.points(node, definition)
        elif page is not None and node.name.value in ("nodes", "edges"):
            size = page
        else:
            size = SIZES.get(place, OTHER_LIST)
        return cost + size * each

    def page(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """A connection's page size (`first`, else its default), for its `nodes` and `edges`."""
        if "first" not in definition.args:
            return None
        first = self.argument(node, definition, "first")
        return min(max(first, 1), MAX_PAGE) if isinstance(first, int) else MAX_PAGE

    def points(self, node: FieldNode, definition: GraphQLField) -> int:
        """How many points a history asks for; MAX_POINTS when that is not known."""
        start, end = (self.argument(node, definition, a) for a in ("from", "to"))
        if not (isinstance(start, date) and isinstance(end, date)):
            return MAX_POINTS
        step = 1 if self.argument(node, definition, "interval") == Interval.DAY else 7
        return min(max(((end - start).days + 1) // step, 1), MAX_POINTS)

    def argument(self, node: FieldNode, definition: GraphQLField, name: str) -> Any:
        """An argument's value as the resolver gets it (null or not given: its default); None
        when not known."""
        argument = definition.args.get(name)
        if argument is None:
            return None
        given = next((a.value for a in node.arguments or () if a.name.value == name), None)
        value = (
            None if given is None else coerce_input_literal(given, argument.type, self.variables)
        )
        if value is None or value is Undefined:
            value = argument.default_value
        return None if value is Undefined else value

    def collect(
        self, sets: Sequence[SelectionSetNode], kind: GraphQLObjectType
    ) -> dict[str, list[FieldNode]]:
        """The fields asked of an object of `kind`, by response name, fragments spread once
        each (as execution collects them)."""
        fields: dict[str, list[FieldNode]] = {}
        spread: set[str] = set()
        pending = [s.selections for s in sets]
        while pending:
            for selection in pending.pop():
                if isinstance(selection, FieldNode):
                    if self.included(selection):
                        key = (selection.alias or selection.name).value
                        fields.setdefault(key, []).append(selection)
                else:
                    pending.extend(self.spread(selection, kind, spread))
        return fields

    def spread(
        self, selection: SelectionNode, kind: GraphQLObjectType, spread: set[str]
    ) -> Iterator[tuple[SelectionNode, ...]]:
        """The selections a fragment adds on an object of `kind`, if it applies."""
        if not self.included(selection):
            return
        if isinstance(selection, InlineFragmentNode):
            fragment: InlineFragmentNode | FragmentDefinitionNode | None = selection
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
            spread.add(selection.name.value)
            fragment = self.fragments.get(selection.name.value)
        else:
            return
        if fragment is None:
            return
        condition = fragment.type_condition
        applies = self.schema.get_type(condition.name.value) if condition else kind
        if applies is kind or (
            is_abstract_type(applies) and self.schema.is_sub_type(applies, kind)
        ):
            yield fragment.selection_set.selections

    def included(self, selection: SelectionNode) -> bool:
        """False when @skip or @include leaves the selection out."""
        if not selection.directives:
            return True
        try:
            skip = get_directive_values(GraphQLSkipDirective, selection, self.variables)
            include = get_directive_values(GraphQLIncludeDirective, selection, self.variables)
        except GraphQLError:
            return True
        return not (skip and skip.get("if") is True) and not (
            include and include.get("if") is False
        )


class QueryCost(SchemaExtension):
    """Costs each valid operation before it runs and refuses one over `limit`
    (QUERY_TOO_COSTLY, with the cost and the limit), or over what its token may still spend
    this second (RATE_LIMITED, `okr.graphql.admission`). Every result over HTTP carries
    `extensions.cost`; results streamed on a WebSocket do not."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.pre_execution_errors:
            self.cost = operation_cost(
                context.schema._schema, document, context.operation_name, context.variables
            )
            if self.cost > self.limit:
                context.pre_execution_errors = [too_costly(self.cost, self.limit)]
            else:
                self.spend(self.cost)
        yield

    def spend(self, cost: int) -> None:
        """Takes `cost` from the caller's budget; past it, the operation is refused."""
        request = self.execution_context.context
        if not isinstance(request, RequestContext) or request.admission is None:
            return
        try:
            request.admission.spend(request.limit_key, cost)
        except Refused as refusal:
            request.refuse(refusal)
            self.execution_context.pre_execution_errors = [refusal.error()]

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "limit": self.limit}}

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        if isinstance(result, ExecutionResult) and result.extensions:
            result.extensions.pop("cost", None)
        yield
