"""Mistakes on the `okr` command line, as a user makes them: one line on stderr that names
the command line's own flag, exit 2, nothing written and never a traceback."""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path
from uuid import UUID

import pytest

from okr.bootstrap import open_application
from okr.graphql.ids import global_id
from okr.infra.event_store import DatabaseUrl
from tests.e2e.cli import okr

ORGANIZATION = "2672cd26-3eaf-5285-beaf-d5e9a8722339"
OBJECTIVE_ID = global_id("Objective", ORGANIZATION)
"""A well-formed global id, of a type no id option takes."""


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command printed on stderr (and nothing on stdout)."""
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def sqlite(tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(f"sqlite:///{tmp_path / 'okr.sqlite'}")


def test_okr_version_prints_the_installed_version(tmp_path: Path) -> None:
    result = okr("--version", url=sqlite(tmp_path))

    assert (result.returncode, result.stdout) == (0, f"okr {metadata.version('okr-ledger')}\n")


@pytest.mark.parametrize("value", ["70000", "65536", "0", "-1", "http"])
def test_a_port_out_of_range_is_refused_before_anything_starts(tmp_path: Path, value: str) -> None:
    result = okr("serve", "--port", value, url=sqlite(tmp_path), timeout=60)

    assert result.returncode == 2
    assert one_line(result) == (
        f"okr serve: error: argument --port: not a port number from 1 to 65535: '{value}' "
        "(see okr serve --help)"
    )
    assert not (tmp_path / "okr.sqlite").exists()


ID_OPTIONS = [
    pytest.param("--organization", ["export", "--organization", "{}"], id="export"),
    pytest.param("--organization", ["token", "list", "--organization", "{}"], id="token list"),
    pytest.param(
        "--organization",
        ["token", "create", "--organization", "{}", "--role", "ADMIN", "--name", "n"],
        id="token create",
    ),
    pytest.param(
        "--organization",
        ["token", "revoke", ORGANIZATION, "--organization", "{}"],
        id="token revoke --organization",
    ),
    pytest.param(
        "token_id", ["token", "revoke", "{}", "--organization", ORGANIZATION], id="token revoke"
    ),
    pytest.param(
        "--person",
        [
            "token",
            "create",
            "--organization",
            ORGANIZATION,
            "--role",
            "MEMBER",
            "--name",
            "n",
            "--person",
            "{}",
        ],
        id="token create --person",
    ),
]


@pytest.mark.parametrize(("flag", "args"), ID_OPTIONS)
def test_junk_for_an_id_is_refused_naming_the_flag(
    tmp_path: Path, flag: str, args: list[str]
) -> None:
    junk = okr(*[a.format("junk") for a in args], url=sqlite(tmp_path))
    wrong_type = okr(*[a.format(OBJECTIVE_ID) for a in args], url=sqlite(tmp_path))

    assert (junk.returncode, wrong_type.returncode) == (2, 2)
    assert f"error: argument {flag}: 'junk' is neither a UUID nor a global id of type" in (
        one_line(junk)
    )
    assert f"error: argument {flag}: '{OBJECTIVE_ID}' is a global id of type 'Objective'" in (
        one_line(wrong_type)
    )
    assert not (tmp_path / "okr.sqlite").exists()


def organization(url: DatabaseUrl) -> UUID:
    """A new organization, written straight into the store."""
    app = open_application(url)
    try:
        return app.create_organization("test:setup", "Acme").id
    finally:
        app.close()


def create_token(
    url: DatabaseUrl, organization_id: str, role: str, name: str
) -> subprocess.CompletedProcess[str]:
    """`okr token create` as a user types it, without `--person`."""
    return okr(
        "token",
        "create",
        "--organization",
        organization_id,
        "--role",
        role,
        "--name",
        name,
        url=url,
    )


def test_a_person_token_without_a_person_names_the_person_flag(database_url: DatabaseUrl) -> None:
    acme = str(organization(database_url))

    result = create_token(database_url, acme, "MEMBER", "n")

    assert result.returncode == 2
    assert (
        one_line(result) == "okr: a MEMBER token acts for a person: give --person (INVALID_INPUT)"
    )
    listed = okr("token", "list", "--organization", acme, url=database_url)
    assert (listed.returncode, listed.stdout) == (0, "")


def test_a_bad_token_name_names_the_name_flag(database_url: DatabaseUrl) -> None:
    acme = str(organization(database_url))

    result = create_token(database_url, acme, "ADMIN", "")

    assert result.returncode == 2
    assert one_line(result) == "okr: --name must be 1 to 200 characters (INVALID_INPUT)"


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--organization", "{}", "--output", "{out}"],
        ["token", "list", "--organization", "{}"],
        ["token", "create", "--organization", "{}", "--role", "ADMIN", "--name", "n"],
        ["token", "revoke", ORGANIZATION, "--organization", "{}"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_an_organization_the_store_lacks_is_refused_not_met_with_silence(
    database_url: DatabaseUrl, tmp_path: Path, args: list[str]
) -> None:
    organization(database_url)
    ghost = "6b1a0e4e-0000-4000-8000-000000000000"
    out = tmp_path / "log.jsonl"

    result = okr(*[a.format(ghost, out=out) for a in args], url=database_url)

    assert result.returncode == 1
    assert one_line(result) == f"okr: --organization: Organization '{ghost}' not found (NOT_FOUND)"
    assert not out.exists()
    everything = okr("export", url=database_url)
    assert everything.returncode == 0, everything.stderr
    assert everything.stdout.count("\n") == 1
    assert ghost not in everything.stdout
