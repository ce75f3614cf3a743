"""`okr organization create | list` and `okr token create | list | revoke`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from uuid import UUID

from okr.bootstrap import Runtime, open_runtime
from okr.cli.arguments import Parser, object_id, refusal
from okr.domain.api_token import Role
from okr.domain.commands import RevokeApiToken
from okr.domain.errors import NotFound, OkrError
from okr.infra.event_store import DatabaseUrl
from okr.services.context import Context
from okr.services.tokens import issue_token
from okr.views.directory import every_organization, organization
from okr.views.tokens import every_api_token

CLI_ACTOR = "system:cli"
FLAGS = {
    "organizationId": "--organization",
    "personId": "--person",
    "tokenId": "token_id",
    "name": "--name",
    "role": "--role",
}
"""The command line's flag for each field an error may name, as the API calls it."""


async def run(url: DatabaseUrl, args: argparse.Namespace) -> int:
    runtime = await open_runtime(url)
    try:
        return await _dispatch(runtime, args)
    except OkrError as error:
        message, code = refusal(error, FLAGS if args.command == "token" else {})
        print(message, file=sys.stderr)
        return code
    finally:
        await runtime.close()


async def known_organization(runtime: Runtime, organization_id: UUID) -> None:
    """Refuse an organization the store does not hold, once the views are current."""
    await runtime.runner.catch_up()
    if await organization(runtime.store, str(organization_id)) is None:
        raise NotFound("Organization", organization_id, "organizationId")


async def _dispatch(runtime: Runtime, args: argparse.Namespace) -> int:
    app = runtime.app
    if args.command == "organization":
        if args.organization_command == "list":
            await runtime.runner.catch_up()
            for row in await every_organization(runtime.store):
                print(f"{row['id']}  {row['name']}")
            return 0
        result = await asyncio.to_thread(app.create_organization, CLI_ACTOR, args.name)
        print(f"Created organization {args.name}: {result.id}")
        return 0
    await known_organization(runtime, args.organization)
    context = Context(args.organization, CLI_ACTOR)
    action = args.token_command
    if action == "create":
        issued = await asyncio.to_thread(
            issue_token, app, context, args.name, Role(args.role), args.person
        )
        await runtime.runner.catch_up()
        print(f"Token {issued.result.id} ({args.role}); shown once, keep it secret:")
        print(issued.secret)
        return 0
    if action == "revoke":
        await asyncio.to_thread(app.handle, context, RevokeApiToken(args.token_id))
        await runtime.runner.catch_up()
        print(f"Revoked token {args.token_id}")
        return 0
    rows = await every_api_token(runtime.store, str(args.organization))
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        print(f"{row['id']}  {row['role']:<11} {row['name']}  ({row['actor']}, {state})")
    return 0


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """Ids are given as UUIDs or as the API's global ids."""
    organization_id = object_id("Organization")
    organizations = commands.add_parser("organization", help="create and list organizations")
    tenant = organizations.add_subparsers(
        dest="organization_command", required=True, metavar="{create,list}"
    )
    create_organization = tenant.add_parser("create", help="create an organization (a tenant)")
    create_organization.add_argument("name")
    tenant.add_parser("list", help="list every organization: its id and name")
    token = commands.add_parser("token", help="issue, list and revoke API tokens")
    actions = token.add_subparsers(
        dest="token_command", required=True, metavar="{create,list,revoke}"
    )
    create = actions.add_parser("create", help="issue a token and print it once")
    create.add_argument("--organization", type=organization_id, required=True, metavar="ID")
    create.add_argument("--role", choices=[r.value for r in Role], required=True)
    create.add_argument("--name", required=True)
    create.add_argument(
        "--person", type=object_id("Person"), metavar="ID", help="the person the token acts for"
    )
    listing = actions.add_parser("list", help="list an organization's tokens")
    listing.add_argument("--organization", type=organization_id, required=True, metavar="ID")
    revoke = actions.add_parser("revoke", help="revoke a token")
    revoke.add_argument("token_id", type=object_id("ApiToken"))
    revoke.add_argument("--organization", type=organization_id, required=True, metavar="ID")
