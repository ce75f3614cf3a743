"""Every error a client sees has a code; unexpected ones are masked and logged with an id.

Messages from the GraphQL library can echo input (a value that does not parse, an unknown
operation name); they are escaped and cut to MESSAGE_MAX characters, as domain errors quote
input with `quoted`. Messages okr writes are escaped too, so no error shows a raw control or
bidirectional character, over HTTP or on a WebSocket."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError, IntValueNode
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult, StreamExecutionResult

from okr.domain.errors import OkrError, escaped

log = logging.getLogger("okr.graphql")
MESSAGE_MAX = 200
EXPECTED = (
    GraphQLError,
    OkrError,
    CannotGetOperationTypeError,
    InvalidOperationTypeError,
    MissingQueryError,
)


def safe_message(message: str) -> str:
    """`message` with characters that do not print escaped, at most MESSAGE_MAX long."""
    shown = escaped(message)
    return shown if len(shown) <= MESSAGE_MAX else shown[: MESSAGE_MAX - 1] + "…"


def coded(message: str, code: str) -> GraphQLFormattedError:
    """An error in the response shape of GraphQL errors, for answers built outside GraphQL."""
    return {"message": safe_message(message), "extensions": {"code": code}}


def unexpected(error: BaseException) -> tuple[str, str]:
    """Logs an unexpected error, with its traceback, under a new id; the message that masks
    it, and the id."""
    error_id = uuid.uuid4().hex
    log.error("unexpected error %s", error_id, exc_info=error)
    return f"Unexpected error (id {error_id}).", error_id


def long_literal(error: GraphQLError) -> IntValueNode | None:
    """The integer literal of a validation error caused by Python refusing to convert it
    (`int` takes at most 4300 digits): the document is at fault, not the server."""
    if not isinstance(error.original_error, ValueError):
        return None
    return next((n for n in error.nodes or () if isinstance(n, IntValueNode)), None)


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    expected = isinstance(original, EXPECTED) or long_literal(error) is not None
    return original is not None and not expected


def with_code(error: GraphQLError) -> GraphQLError:
    """The error, masked if unexpected, escaped, and with an `extensions.code`."""
    if is_unexpected(error):
        message, error_id = unexpected(error.original_error or error)
        return GraphQLError(
            message,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
        )
    original = error.original_error
    literal = long_literal(error)
    extensions: dict[str, Any]
    if literal is not None:
        expected = error.message.split(", but encountered error", 1)[0]
        message = f"{expected}, found an integer literal of {len(literal.value)} characters."
        extensions = {"code": "BAD_REQUEST"}
    elif isinstance(original, OkrError):
        message = escaped(error.message)
        extensions = {"code": original.code, "field": original.field}
    elif error.extensions and "code" in error.extensions:
        if escaped(error.message) == error.message:
            return error
        message, extensions = escaped(error.message), error.extensions
    else:
        syntax = error.message.startswith("Syntax Error")
        message = safe_message(error.message)
        code = "GRAPHQL_PARSE_FAILED" if syntax else "BAD_REQUEST"
        extensions = {**(error.extensions or {}), "code": code}
    return GraphQLError(
        message,
        nodes=error.nodes,
        path=error.path,
        source=error.source,
        positions=error.positions,
        extensions=extensions,
    )


def with_codes(errors: list[GraphQLError]) -> list[GraphQLError]:
    return [with_code(e) for e in errors]


class ErrorCodes(SchemaExtension):
    """Gives every error a code and masks unexpected ones: in the one result of a query or
    mutation, and in each result a stream (a subscription) yields."""

    streamed = False

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        self.streamed = True
        if isinstance(result, ExecutionResult) and result.errors:
            result.errors = with_codes(result.errors)
        yield

    def on_operation(self) -> Iterator[None]:
        yield
        if self.streamed:
            return
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = with_codes(result.errors)
        if self.execution_context.pre_execution_errors:
            self.execution_context.pre_execution_errors = with_codes(
                self.execution_context.pre_execution_errors
            )
