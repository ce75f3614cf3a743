"""The `okr` command's argument types and error lines, without a store."""

from __future__ import annotations

import argparse
from uuid import UUID

import pytest

from okr.cli.arguments import Parser, object_id, port, refusal
from okr.domain.errors import InvalidInput, NotFound
from okr.graphql.ids import global_id

ORGANIZATION = UUID("2672cd26-3eaf-5285-beaf-d5e9a8722339")


def test_an_id_is_its_uuid_or_its_global_id() -> None:
    organization_id = object_id("Organization")

    assert organization_id(str(ORGANIZATION)) == ORGANIZATION
    assert organization_id(str(ORGANIZATION).upper()) == ORGANIZATION
    assert organization_id(global_id("Organization", ORGANIZATION)) == ORGANIZATION


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("junk", "'junk' is neither a UUID nor a global id of type 'Organization'"),
        ("", "'' is neither a UUID nor a global id of type 'Organization'"),
        (
            global_id("Organization", "not-a-uuid"),
            f"'{global_id('Organization', 'not-a-uuid')}' is neither a UUID nor a global id "
            "of type 'Organization'",
        ),
        (
            global_id("Person", ORGANIZATION),
            f"'{global_id('Person', ORGANIZATION)}' is a global id of type 'Person', "
            "not 'Organization'",
        ),
    ],
)
def test_anything_else_is_refused_saying_what_it_is(text: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        object_id("Organization")(text)

    assert str(refused.value) == message


def test_a_port_is_1_to_65535() -> None:
    assert (port("1"), port("65535")) == (1, 65535)
    for text in ("0", "65536", "70000", "-1", "80.0", "http", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="not a port number from 1 to 65535"):
            port(text)


def test_a_refusal_names_the_command_lines_flag() -> None:
    flags = {"personId": "--person", "organizationId": "--organization"}

    assert refusal(
        InvalidInput("a MEMBER token acts for a person: give personId", "personId"), flags
    ) == (
        "okr: a MEMBER token acts for a person: give --person (INVALID_INPUT)",
        2,
    )
    assert refusal(NotFound("Organization", ORGANIZATION, "organizationId"), flags) == (
        f"okr: --organization: Organization '{ORGANIZATION}' not found (NOT_FOUND)",
        1,
    )
    assert refusal(InvalidInput("name must be 1 to 200 characters", "name"), flags) == (
        "okr: name must be 1 to 200 characters (INVALID_INPUT)",
        2,
    )


def test_a_usage_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    parser = Parser(prog="okr")
    parser.add_argument("--port", type=port)

    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["--port", "70000"])

    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "okr: error: argument --port: not a port number from 1 to 65535: '70000' (see okr --help)\n"
    )
