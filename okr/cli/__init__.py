"""The `okr` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import psycopg
from eventsourcing.persistence import PersistenceError

from okr.cli import admin, audit, check, demo, project, serve, upgrade
from okr.cli.arguments import Parser, head_hash, moment, object_id, port, positive
from okr.graphql.schema import schema_sdl
from okr.infra.event_store import ConfigurationError, DatabaseUrl


def version() -> str:
    """The installed okr-ledger's version."""
    try:
        return metadata.version("okr-ledger")
    except metadata.PackageNotFoundError:
        return "unknown (okr-ledger is not installed)"


def parser() -> argparse.ArgumentParser:
    root = Parser(prog="okr", description="okr-ledger: event-sourced OKRs.")
    root.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="write the demo organization Sunshine into the store")
    follow = commands.add_parser("project", help="keep the read models current until stopped")
    follow.add_argument("--batch-size", type=positive, default=None, help="events per transaction")
    commands.add_parser("replay", help="rebuild every read model, compare with the live ones")
    export = commands.add_parser("export", help="write the event log as JSON Lines")
    export.add_argument(
        "--organization",
        type=object_id("Organization"),
        metavar="ID",
        help="only this organization's events",
    )
    export.add_argument("--since", type=moment, help="recorded at or after this time")
    export.add_argument("--until", type=moment, help="recorded before this time")
    export.add_argument("--output", help="a file to write (default: standard output)")
    verify = commands.add_parser("verify", help="check the log's hash chain")
    verify.add_argument(
        "--head", type=head_hash, help="a head hash kept earlier; the log must still extend it"
    )
    verify.add_argument("--file", help="check an export file's chain instead of the store")
    rules = commands.add_parser("check", help="re-validate every domain rule over the whole log")
    rules.add_argument("--json", action="store_true", help="print violations as JSON Lines")
    commands.add_parser("upgrade", help="write what today's rules need into an older log")
    server = commands.add_parser("serve", help="serve the GraphQL API")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=port, default=8000)
    server.add_argument("--demo", action="store_true", help="load the demo; print a token")
    server.add_argument("--dev", action="store_true", help="GraphiQL and introspection on")
    server.add_argument(
        "--allowed-origin", action="append", default=[], help="a WebSocket origin to accept"
    )
    commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    admin.add_commands(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `okr` command line; returns the process exit code."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.command == "verify" and args.file:
        return audit.verify_file(Path(args.file), args.head)
    try:
        url = DatabaseUrl.from_environ()
        url.event_store_env()
    except ConfigurationError as error:
        print(f"okr: {error}", file=sys.stderr)
        return 2
    try:
        if args.command == "demo":
            return demo.run(url)
        if args.command == "project":
            return asyncio.run(project.run(url, args.batch_size))
        if args.command == "schema":
            print(schema_sdl(), end="")
            return 0
        if args.command == "serve":
            return serve.run(
                url,
                args.host,
                args.port,
                demo=args.demo,
                dev=args.dev,
                allowed_origins=args.allowed_origin,
            )
        if args.command == "check":
            return check.run(url, args.json)
        if args.command == "upgrade":
            return upgrade.run(url)
        if args.command in ("organization", "token"):
            return asyncio.run(admin.run(url, args))
        return asyncio.run(audit.run(url, args))
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except (PersistenceError, psycopg.Error) as error:
        print(f"okr: the event store at {url.redacted()} failed: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"okr: {error}", file=sys.stderr)
        return 1
