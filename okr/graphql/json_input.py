"""JSON as the server accepts it, in an HTTP body or a WebSocket message: valid Unicode, at
most a size in bytes, nested at most DEPTH_MAX deep, numbers finite and at most
NUMBER_CHARS_MAX characters long, and no key twice in an object. What breaks these rules is
decoded to `Unreadable`, saying what is wrong, never an exception past the JSON's own syntax
errors (`json.JSONDecodeError`)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

DEPTH_MAX = 100
NUMBER_CHARS_MAX = 100
NOT_UNICODE = "The request is not valid Unicode: a string holds a lone surrogate (such as \\ud800)."
TOO_DEEP = f"The JSON is nested more than {DEPTH_MAX} deep."
LONG_NUMBER = f"The JSON holds a number of more than {NUMBER_CHARS_MAX} characters."
NOT_FINITE = "The JSON holds a number too large to represent, or NaN or Infinity."
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
SURROGATE = re.compile("[\ud800-\udfff]")
TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]', re.DOTALL)
BRACKETS = frozenset("[]{}")


@dataclass(frozen=True)
class Unreadable:
    """JSON that is refused: what it decoded to (for JSON too deep to decode, the string
    members of its top-level object, so a WebSocket message can still be answered by its
    `id`), what is wrong, and the code to answer with."""

    value: object
    problem: str
    code: str = "BAD_REQUEST"


class Checking:
    """The hooks of a JSON decoder that note the first number, constant or repeated key it
    must refuse (and decode such a number as 0, so that decoding goes on cheaply). Kept apart
    from the decoder, which would hold its own bound methods: a reference cycle each."""

    def __init__(self) -> None:
        self.problem: str | None = None

    def decoder(self) -> json.JSONDecoder:
        return json.JSONDecoder(
            parse_int=self.integer,
            parse_float=self.real,
            parse_constant=self.constant,
            object_pairs_hook=self.members,
        )

    def refuse(self, problem: str) -> None:
        self.problem = self.problem or problem

    def integer(self, text: str) -> int:
        if len(text) > NUMBER_CHARS_MAX:
            self.refuse(LONG_NUMBER)
            return 0
        return int(text)

    def real(self, text: str) -> float:
        if len(text) > NUMBER_CHARS_MAX:
            self.refuse(LONG_NUMBER)
            return 0.0
        value = float(text)
        if not math.isfinite(value):
            self.refuse(NOT_FINITE)
        return value

    def constant(self, name: str) -> None:
        self.refuse(NOT_FINITE)

    def members(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) < len(pairs):
            repeated = next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
            self.refuse(f"The JSON gives the key {json.dumps(repeated)} twice in an object.")
        return result


def decode(text: str, max_bytes: int) -> object:
    """`text` decoded as JSON, or `Unreadable`. Raises `json.JSONDecodeError` if it is not
    JSON. Only a text with more than DEPTH_MAX brackets is walked for its depth, and only one
    with a `\\u` escape (which alone can write a lone surrogate) for surrogates."""
    if over(text, max_bytes):
        return Unreadable(None, f"The JSON is over {max_bytes} bytes.", PAYLOAD_TOO_LARGE)
    checking = Checking()
    try:
        value = checking.decoder().decode(text)
    except RecursionError:
        return Unreadable(top_level_strings(text), TOO_DEEP)
    if checking.problem is not None:
        return Unreadable(value, checking.problem)
    if text.count("[") + text.count("{") > DEPTH_MAX and too_deep(value):
        return Unreadable(value, TOO_DEEP)
    if "\\u" in text and lone_surrogate(value):
        return Unreadable(value, NOT_UNICODE)
    return value


def over(text: str, max_bytes: int) -> bool:
    """Whether `text` takes more than `max_bytes` in UTF-8 (at most 4 bytes a character, so a
    short text is not encoded to tell)."""
    size = len(text)
    if size * 4 <= max_bytes:
        return False
    return size > max_bytes or len(text.encode(errors="surrogatepass")) > max_bytes


def too_deep(value: object) -> bool:
    """Whether a decoded JSON value nests arrays and objects more than DEPTH_MAX deep."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > DEPTH_MAX:
                return True
            pending += [(child, depth + 1) for child in item]
    return False


def top_level_strings(text: str) -> dict[str, str]:
    """The members of the top-level object in the JSON `text` whose values are strings,
    read without decoding what is nested (which may be too deep to decode)."""
    members: dict[str, str] = {}
    depth = 0
    recent: list[str] = []
    for match in TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth -= 1
        if depth != 1 or token in BRACKETS:
            recent = []
            continue
        recent = [*recent[-2:], token]
        if len(recent) == 3 and recent[1] == ":" and recent[0][0] == recent[2][0] == '"':
            key, member = json.loads(recent[0]), json.loads(recent[2])
            members.setdefault(key, member)
    return members


def lone_surrogate(value: object) -> bool:
    """Whether any string in a decoded JSON value, key or not, holds a lone surrogate."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return False
