"""Every error a client sees has a code; unexpected ones are masked and logged with an id.

Messages from the GraphQL library can echo input (a value that does not parse); they are
escaped and cut to MESSAGE_MAX characters, as domain errors quote input with `quoted`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from okr.domain.errors import OkrError, escaped

log = logging.getLogger("okr.graphql")
MESSAGE_MAX = 200


def safe_message(message: str) -> str:
    """`message` with characters that do not print escaped, at most MESSAGE_MAX long."""
    shown = escaped(message)
    return shown if len(shown) <= MESSAGE_MAX else shown[: MESSAGE_MAX - 1] + "…"


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | OkrError)


def with_code(error: GraphQLError) -> GraphQLError:
    """The error, masked if unexpected, and with an `extensions.code`."""
    if is_unexpected(error):
        error_id = uuid.uuid4().hex
        log.error("unexpected error %s", error_id, exc_info=error.original_error)
        return GraphQLError(
            f"Unexpected error (id {error_id}).",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
        )
    original = error.original_error
    if isinstance(original, OkrError):
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": original.code, "field": original.field},
        )
    if error.extensions and "code" in error.extensions:
        return error
    code = "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "BAD_REQUEST"
    return GraphQLError(
        safe_message(error.message),
        nodes=error.nodes,
        path=error.path,
        source=error.source,
        positions=error.positions,
        extensions={**(error.extensions or {}), "code": code},
    )


class ErrorCodes(SchemaExtension):
    """Gives every error a code and masks unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [with_code(e) for e in result.errors]
        if self.execution_context.pre_execution_errors:
            self.execution_context.pre_execution_errors = [
                with_code(e) for e in self.execution_context.pre_execution_errors
            ]
