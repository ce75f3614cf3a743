"""The schema, assembled with its limits; `--dev` allows introspection."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, aclosing
from functools import lru_cache
from typing import Any, TypeVar

import strawberry
from graphql import (
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    get_operation_ast,
    lexicographic_sort_schema,
    parse,
    print_schema,
)
from graphql import OperationType as GraphQLOperationType
from graphql.validation import ASTValidationRule
from strawberry import relay
from strawberry.extensions import (
    MaxAliasesLimiter,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from okr.graphql.admin_mutations import AdminMutation
from okr.graphql.admission import Refused
from okr.graphql.context import LoadersPerOperation, RequestContext
from okr.graphql.cost import MAX_QUERY_COST, QueryCost
from okr.graphql.errors import ErrorCodes
from okr.graphql.key_result_mutations import KeyResultMutation
from okr.graphql.key_result_types import CheckIn, KeyResult
from okr.graphql.kpi_types import Kpi, Recognition
from okr.graphql.objective_mutations import ObjectiveMutation
from okr.graphql.objective_types import Objective
from okr.graphql.queries import Query
from okr.graphql.subscriptions import SharedEventResults, Subscription
from okr.graphql.token_types import ApiToken

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 1000
PARSED_BESIDE_CHARS = 2000
"""A document longer than this is parsed in a thread: parsing costs about 15 µs a token."""
PARSED_KEPT = 256
OPERATION_SECONDS = 10.0
T = TypeVar("T")


@strawberry.type
class Mutation(ObjectiveMutation, KeyResultMutation, AdminMutation):
    """Every mutation takes one `input` and returns a payload with `userErrors`."""


class OkrSchema(strawberry.Schema):
    """Expected errors (bad input, forbidden) are answers, not incidents, so they are not
    logged; unexpected ones are logged once, with their id, by `ErrorCodes`. `execute` gives
    one result, so it refuses a subscription (it streams, over a WebSocket). Every operation
    is admitted by the context's limits per token first (`okr.graphql.admission`)."""

    time_limit: float = OPERATION_SECONDS
    """How long a query may run, over HTTP or a WebSocket; past it, it is cancelled with
    OPERATION_TIMED_OUT. A mutation always finishes: its command may already be recorded."""

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        allowed = kwargs.get("allowed_operation_types") or DEFAULT_ALLOWED_OPERATION_TYPES
        kwargs["allowed_operation_types"] = set(allowed) - {OperationType.SUBSCRIPTION}
        kind = await operation_kind(args[0] if args else kwargs.get("query"), kwargs)
        context = kwargs.get("context_value")
        try:
            with self._admitted(context, kind):
                if kind is GraphQLOperationType.MUTATION:
                    return await super().execute(*args, **kwargs)
                return await self._within_limit(super().execute(*args, **kwargs))
        except Refused as refusal:
            if isinstance(context, RequestContext):
                context.refuse(refusal)
            return ExecutionResult(data=None, errors=[refusal.error()])

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        """As strawberry streams any operation over a WebSocket; a query's one result is
        worked out within the time limit, as over HTTP."""
        kind = await operation_kind(args[0] if args else kwargs.get("query"), kwargs)
        starting = functools.partial(super().stream, *args, **kwargs)
        return self._streamed(kind, kwargs.get("context_value"), starting)

    async def _streamed(
        self,
        kind: GraphQLOperationType | None,
        context: object,
        starting: Callable[[], Awaitable[Any]],
    ) -> AsyncIterator[Any]:
        try:
            with self._admitted(context, kind):
                source = await starting()
                if kind is GraphQLOperationType.QUERY:
                    results = await self._within_limit(all_of(source))
                    for result in results if isinstance(results, list) else [results]:
                        yield result
                    return
                async with aclosing(source):
                    async for result in source:
                        yield result
        except Refused as refusal:
            yield PreExecutionError(data=None, errors=[refusal.error()])

    def _admitted(
        self, context: object, kind: GraphQLOperationType | None
    ) -> AbstractContextManager[None]:
        if not isinstance(context, RequestContext) or context.admission is None:
            return contextlib.nullcontext()
        subscription = kind is GraphQLOperationType.SUBSCRIPTION
        over_http = context.connection_params is None
        return context.admission.admitted(context.limit_key, subscription, counted=over_http)

    async def _within_limit(self, running: Awaitable[T]) -> T | ExecutionResult:
        budget = asyncio.timeout(self.time_limit)
        try:
            async with budget:
                return await running
        except TimeoutError:
            if not budget.expired():
                raise
            return ExecutionResult(data=None, errors=[timed_out(self.time_limit)])

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return


async def all_of(source: AsyncIterator[T]) -> list[T]:
    return [item async for item in source]


parse_once = lru_cache(maxsize=PARSED_KEPT)(parse)


async def operation_kind(query: object, options: dict[str, Any]) -> GraphQLOperationType | None:
    """`operation_type`; a long document is parsed (and kept) beside the event loop, which
    meanwhile goes on serving others."""
    if isinstance(query, str) and len(query) > PARSED_BESIDE_CHARS:
        return await asyncio.to_thread(operation_type, query, options)
    return operation_type(query, options)


def operation_type(query: object, options: dict[str, Any]) -> GraphQLOperationType | None:
    """The type of the document's operation to run (`options` may name it, as strawberry's
    `operation_name`); None if it does not parse or name one."""
    operation_name = options.get("operation_name")
    if not isinstance(query, str):
        return None
    try:
        operation = get_operation_ast(parse_once(query, max_tokens=MAX_TOKENS), operation_name)
    except GraphQLError:
        return None
    return None if operation is None else operation.operation


def timed_out(limit: float) -> GraphQLError:
    return GraphQLError(
        f"the query ran over its time limit of {limit:g} s and was cancelled",
        extensions={"code": "OPERATION_TIMED_OUT", "limit": limit},
    )


class Documents(SchemaExtension):
    """Parses each document text once, up to MAX_TOKENS tokens, and validates with `rules`
    too. A text that does not parse is left to strawberry, which reports it with a code.
    (Strawberry's limiters hook the whole operation, which a subscription keeps open for as
    long as it runs; these hooks end with parsing and validation.)"""

    def __init__(self, rules: tuple[type[ASTValidationRule], ...]) -> None:
        self.rules = rules

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = MAX_TOKENS
        if context.query is not None and context.graphql_document is None:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = parse_once(context.query, max_tokens=MAX_TOKENS)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *self.rules)
        yield


class NamedOperation(SchemaExtension):
    """A document of several operations must name the one to run (the spec's GetOperation);
    strawberry would run the first. Runs after validation, so its errors come first."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if (
            not context.pre_execution_errors
            and context._provided_operation_name is None
            and document is not None
            and sum(isinstance(d, OperationDefinitionNode) for d in document.definitions) > 1
        ):
            context.pre_execution_errors = [
                GraphQLError(
                    "Must provide operation name if query contains multiple operations.",
                    extensions={"code": "BAD_REQUEST"},
                )
            ]
        yield


def build_schema(
    *,
    dev: bool = False,
    max_cost: int = MAX_QUERY_COST,
    time_limit: float = OPERATION_SECONDS,
) -> strawberry.Schema:
    """Documents are parsed and validated once per text (the limits' rules are made once, so
    they are the same each time), which spares time and garbage when subscribers connect. An
    operation costing more than `max_cost` is refused before it runs; a query running longer
    than `time_limit` seconds is cancelled."""
    rules = (
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
        *([] if dev else [NoSchemaIntrospectionCustomRule]),
    )
    extensions: list[Any] = [
        lambda: Documents(rules),
        lambda: ValidationCache(maxsize=PARSED_KEPT),
        NamedOperation,
        lambda: QueryCost(max_cost),
        LoadersPerOperation,
        ErrorCodes,
    ]
    schema = OkrSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Objective, KeyResult, CheckIn, Kpi, Recognition, ApiToken, relay.Node],
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True, disable_field_suggestions=True),
        execution_context_class=SharedEventResults,
    )
    schema.time_limit = time_limit
    return schema


def schema_sdl() -> str:
    """The schema as SDL, types sorted, as kept in schema.graphql."""
    return print_schema(lexicographic_sort_schema(build_schema()._schema)) + "\n"
