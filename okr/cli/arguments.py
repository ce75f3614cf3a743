"""The `okr` command's argument types, and how its errors read: one line each, naming the
command line's own flags and arguments."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import NoReturn
from uuid import UUID

from okr.domain.errors import InvalidInput, OkrError, quoted
from okr.graphql.ids import parse_global_id

USAGE_ERROR = 2
HIGHEST_PORT = 65535
LONGEST_ID_SHOWN = 100
"""Global ids run to about 70 characters; an error shows one whole."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, pointing at `--help`."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def moment(text: str) -> datetime:
    """An ISO 8601 date or time; without a zone it is UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {quoted(text)}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def positive(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {quoted(text)}")
    return int(text)


def port(text: str) -> int:
    """A TCP port to listen on, 1 to 65535."""
    if not text.isdigit() or not 1 <= int(text) <= HIGHEST_PORT:
        raise argparse.ArgumentTypeError(
            f"not a port number from 1 to {HIGHEST_PORT}: {quoted(text)}"
        )
    return int(text)


def head_hash(text: str) -> str:
    """A sha256 hex digest, as `okr verify` prints it."""
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
        raise argparse.ArgumentTypeError("a head hash is 64 hexadecimal characters")
    return text.lower()


def object_id(type_name: str) -> Callable[[str], UUID]:
    """The argument type of an id of a `type_name` (a GraphQL type): its UUID, or the global
    id the API gives it. Anything else, a global id of another type included, is refused."""

    def parse(text: str) -> UUID:
        shown = quoted(text, LONGEST_ID_SHOWN)
        try:
            return UUID(text)
        except ValueError:
            parsed = parse_global_id(text)
        if parsed is not None and parsed[0] != type_name:
            raise argparse.ArgumentTypeError(
                f"{shown} is a global id of type {quoted(parsed[0])}, not {type_name!r}"
            )
        try:
            return UUID(parsed[1] if parsed else text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{shown} is neither a UUID nor a global id of type {type_name!r}"
            ) from None

    return parse


def refusal(error: OkrError, flags: Mapping[str, str]) -> tuple[str, int]:
    """A refused command's one-line message and exit code (2 for input the command line
    gave). `flags` maps the fields errors name (as the API calls them) to the command line's
    own flags, which the message names instead."""
    message = error.message
    flag = flags.get(error.field or "")
    if flag and error.field:
        named = re.sub(rf"\b{re.escape(error.field)}\b", flag, message)
        message = named if named != message else f"{flag}: {message}"
    code = USAGE_ERROR if isinstance(error, InvalidInput) else 1
    return f"okr: {message} ({error.code})", code
