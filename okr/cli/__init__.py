"""The `okr` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from eventsourcing.persistence import PersistenceError

from okr.cli import audit, demo, project
from okr.infra.event_store import ConfigurationError, DatabaseUrl


def moment(text: str) -> datetime:
    """An ISO 8601 date or time; without a zone it is UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="okr", description="okr-ledger: event-sourced OKRs.")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="write the demo organization Sunshine into the store")
    follow = commands.add_parser("project", help="keep the read models current until stopped")
    follow.add_argument("--batch-size", type=int, default=None, help="events per transaction")
    commands.add_parser("replay", help="rebuild every read model, compare with the live ones")
    export = commands.add_parser("export", help="write the event log as JSON Lines")
    export.add_argument("--organization", help="only this organization's events")
    export.add_argument("--since", type=moment, help="recorded at or after this time")
    export.add_argument("--until", type=moment, help="recorded before this time")
    export.add_argument("--output", help="a file to write (default: standard output)")
    verify = commands.add_parser("verify", help="check the log's hash chain")
    verify.add_argument("--head", help="a head hash kept earlier; the log must still extend it")
    verify.add_argument("--file", help="check an export file's chain instead of the store")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `okr` command line; returns the process exit code."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
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
        return asyncio.run(audit.run(url, args))
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except PersistenceError as error:
        print(f"okr: the event store at {url.redacted()} failed: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"okr: {error}", file=sys.stderr)
        return 1
