"""The schema, assembled with its limits; `--dev` allows introspection."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from graphql import (
    ExecutionResult,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    lexicographic_sort_schema,
    print_schema,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from okr.graphql.admin_mutations import AdminMutation
from okr.graphql.context import LoadersPerOperation
from okr.graphql.directory_types import Node
from okr.graphql.errors import ErrorCodes, with_code
from okr.graphql.key_result_mutations import KeyResultMutation
from okr.graphql.key_result_types import CheckIn, KeyResult
from okr.graphql.kpi_types import Kpi, Recognition
from okr.graphql.objective_mutations import ObjectiveMutation
from okr.graphql.objective_types import Objective
from okr.graphql.payloads import ApiToken
from okr.graphql.queries import Query
from okr.graphql.subscriptions import Subscription

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000


@strawberry.type
class Mutation(ObjectiveMutation, KeyResultMutation, AdminMutation):
    """Every mutation takes one `input` and returns a payload with `userErrors`."""


class OkrSchema(strawberry.Schema):
    """Every error carries a code, on subscriptions too; expected errors (bad input,
    forbidden) are answers, not incidents, so they are not logged. Unexpected ones are
    logged once, with their id, by `with_code`."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return

    async def subscribe(self, *args: Any, **kwargs: Any) -> Any:
        stream = await super().subscribe(*args, **kwargs)
        if isinstance(stream, ExecutionResult):
            return coded(stream)
        return coded_stream(stream)


def coded(result: Any) -> Any:
    if result.errors:
        result.errors = [with_code(e) for e in result.errors]
    return result


async def coded_stream(stream: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    try:
        async for result in stream:
            yield coded(result)
    finally:
        await stream.aclose()


def build_schema(*, dev: bool = False) -> strawberry.Schema:
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        LoadersPerOperation,
        ErrorCodes,
    ]
    if not dev:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return OkrSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Objective, KeyResult, CheckIn, Kpi, Recognition, ApiToken, Node],
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True, disable_field_suggestions=True),
    )


def schema_sdl() -> str:
    """The schema as SDL, types sorted, as kept in schema.graphql."""
    return print_schema(lexicographic_sort_schema(build_schema()._schema)) + "\n"
