"""`okr organization create` and `okr token create | list | revoke`."""

from __future__ import annotations

import argparse
import asyncio
from uuid import UUID

from okr.bootstrap import Runtime, open_runtime
from okr.domain.api_token import Role
from okr.domain.commands import RevokeApiToken
from okr.domain.errors import OkrError
from okr.infra.event_store import DatabaseUrl
from okr.services.context import Context
from okr.services.tokens import issue_token
from okr.views.tokens import every_api_token

CLI_ACTOR = "system:cli"


async def run(url: DatabaseUrl, args: argparse.Namespace) -> int:
    runtime = await open_runtime(url)
    try:
        return await _dispatch(runtime, args)
    except OkrError as error:
        print(f"okr: {error.message} ({error.code})")
        return 1
    finally:
        await runtime.close()


async def _dispatch(runtime: Runtime, args: argparse.Namespace) -> int:
    app = runtime.app
    if args.command == "organization":
        result = await asyncio.to_thread(app.create_organization, CLI_ACTOR, args.name)
        print(f"Created organization {args.name}: {result.id}")
        return 0
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
    await runtime.runner.catch_up()
    rows = await every_api_token(runtime.store, str(args.organization))
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        print(f"{row['id']}  {row['role']:<11} {row['name']}  ({row['actor']}, {state})")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    organization = commands.add_parser("organization", help="create an organization (a tenant)")
    organization.add_argument("action", choices=["create"])
    organization.add_argument("name")
    token = commands.add_parser("token", help="issue, list and revoke API tokens")
    actions = token.add_subparsers(dest="token_command", required=True)
    create = actions.add_parser("create", help="issue a token and print it once")
    create.add_argument("--organization", type=UUID, required=True)
    create.add_argument("--role", choices=[r.value for r in Role], required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--person", type=UUID, help="the person the token acts for")
    listing = actions.add_parser("list", help="list an organization's tokens")
    listing.add_argument("--organization", type=UUID, required=True)
    revoke = actions.add_parser("revoke", help="revoke a token")
    revoke.add_argument("token_id", type=UUID)
    revoke.add_argument("--organization", type=UUID, required=True)
