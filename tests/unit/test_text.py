"""Text refuses control and bidirectional formatting characters; errors quote input safely."""

from __future__ import annotations

from uuid import uuid4

import pytest

from okr.domain.commands import RegisterPerson
from okr.domain.errors import InvalidInput, NotFound, quoted
from okr.domain.objective import Objective
from okr.domain.organization import Person
from okr.domain.values import clean_text, clean_title
from okr.graphql.errors import MESSAGE_MAX, safe_message
from okr.graphql.ids import decode_id
from tests.world import World

UNSAFE = [
    "\x00",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ud800",
]


@pytest.mark.parametrize("character", [*UNSAFE, "\t", "\n", "\r"])
def test_a_title_refuses_control_and_bidirectional_characters(character: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_title(f"Deploys{character}fall", "title")

    assert refused.value.field == "title"


@pytest.mark.parametrize("character", [*UNSAFE, "\r"])
def test_free_text_refuses_them_too(character: str) -> None:
    with pytest.raises(InvalidInput):
        clean_text(f"line one{character}line two", "note")


def test_free_text_keeps_newlines_and_tabs_and_any_printable_character() -> None:
    note = "Week 5:\n\t- 140 upgrades\n\t- Café ✓, نعم, 日本 \u200f"

    assert clean_text(note, "note") == note
    assert clean_title("Café ✓ — 日本", "title") == "Café ✓ — 日本"


def test_an_email_is_one_line() -> None:
    with pytest.raises(InvalidInput) as refused:
        Person.register(uuid4(), "system:test", "Ann Lead", "ann@example.com\nBcc: all")

    assert refused.value.field == "email"
    assert Person.register(uuid4(), "system:test", "Ann Lead", "ann@example.com").active


def test_an_objective_with_a_bidirectional_override_in_its_title_is_refused(
    world: World,
) -> None:
    world.refuse(InvalidInput, lambda: world.objective(title="Revenue \u202eevil"))
    accepted = world.objective(title="Revenue grows")

    assert world.app.load(world.ctx, Objective, accepted).title == "Revenue grows"


def test_input_is_quoted_escaped_and_cut_short() -> None:
    assert quoted("a\x00b\u202ec\n") == "'a\\x00b\\u202ec\\n'"
    assert quoted("short") == "'short'"
    long = quoted("x" * 1000)
    assert long == "'" + "x" * 59 + "…'"


def test_an_id_that_is_not_found_is_quoted_in_the_message() -> None:
    with pytest.raises(NotFound) as refused:
        decode_id("\u202e" + "A" * 500, "Objective", "objectiveId")

    message = refused.value.message
    assert message.startswith("Objective '\\u202eAAA")
    assert message.endswith("…' not found")
    assert "\u202e" not in message
    assert len(message) < 100


def test_library_messages_are_escaped_and_cut_short() -> None:
    message = 'Value cannot represent a DateTime: "2026-\u202e\x00' + "x" * 500 + '"'

    shown = safe_message(message)

    assert shown.startswith('Value cannot represent a DateTime: "2026-\\u202e\\x00xx')
    assert len(shown) == MESSAGE_MAX
    assert shown.endswith("…")
    assert safe_message("Syntax Error: Unexpected '}'.") == "Syntax Error: Unexpected '}'."


@pytest.mark.parametrize("character", ["\u200b", "\u2060"])
def test_a_title_refuses_invisible_characters_that_free_text_may_keep(character: str) -> None:
    with pytest.raises(InvalidInput):
        clean_title(f"2026-Q3{character}", "name")

    assert clean_text(f"a{character}b", "note") == f"a{character}b"


@pytest.mark.parametrize("key", ["retry\x00", "\ud800", "k\u202e"])
def test_an_idempotency_key_is_printable_text(world: World, key: str) -> None:
    error = world.refuse(
        InvalidInput, lambda: world.app.handle(world.ctx.with_key(key), RegisterPerson("Cy"))
    )

    assert error.field == "idempotencyKey"
