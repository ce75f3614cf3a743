"""`okr replay | export | verify`: the auditor's commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from okr.audit.export import ExportFilter, check_export, export_lines
from okr.audit.replay import replay as replay_views
from okr.audit.verify import verify
from okr.bootstrap import Runtime, open_runtime
from okr.cli.admin import FLAGS, known_organization
from okr.cli.arguments import refusal
from okr.domain.errors import OkrError
from okr.infra.event_store import DatabaseUrl


async def run(url: DatabaseUrl, args: argparse.Namespace) -> int:
    runtime = await open_runtime(url)
    try:
        if args.command == "replay":
            return await replay(runtime)
        if args.command == "export":
            return await export(runtime, args)
        return await verify_store(runtime, args.head)
    except OkrError as error:
        message, code = refusal(error, FLAGS)
        print(message, file=sys.stderr)
        return code
    finally:
        await runtime.close()


async def replay(runtime: Runtime) -> int:
    """Rebuild into fresh tables with a progress bar; exit 1 if the live views differed."""
    total = await runtime.runner.source.head()
    with tqdm(total=total, unit="event", desc="replaying", file=sys.stderr) as bar:

        async def advance(reached: int) -> None:
            bar.update(reached - bar.n)

        report = await replay_views(runtime.runner, advance)
    if not report.differences:
        print(f"Rebuilt every read model to position {report.position}: no differences.")
        return 0
    print(f"Rebuilt every read model to position {report.position}; the live views differed:")
    for difference in report.differences:
        print(
            f"  {difference.table}: {difference.only_live} rows only in the live table, "
            f"{difference.only_rebuilt} rows only in the rebuilt one"
        )
    kept = [d.table for d in report.differences if d.kept_live]
    if kept:
        print(
            f"Kept the live {', '.join(kept)}: it holds the hash chain recorded as events "
            "arrived, so a difference there means stored events changed. Run okr verify."
        )
    print("Every other rebuilt table has replaced its live one.")
    return 1


async def export(runtime: Runtime, args: argparse.Namespace) -> int:
    """Stream the (filtered) log as JSON Lines to a file or standard output; an organization
    the store does not hold is refused, not exported as nothing."""
    organization = None
    if args.organization is not None:
        await known_organization(runtime, args.organization)
        organization = str(args.organization)
    where = ExportFilter(organization, args.since, args.until)
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        async for line in export_lines(runtime.runner.source, where):
            out.write(line + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


async def verify_store(runtime: Runtime, head: str | None) -> int:
    """Recompute the chain from the stored events; exit 1 on any problem."""
    await runtime.runner.catch_up()
    result = await verify(runtime.runner.source, runtime.store, head)
    if result.problems:
        for problem in result.problems:
            print(f"FAILED {problem}")
        return 1
    print(f"OK {result.events} events, head at position {result.position}")
    print(f"head {result.head}")
    if result.earlier_head_at is not None:
        print(f"the log extends the earlier head (position {result.earlier_head_at})")
    return 0


def verify_file(path: Path, head: str | None = None) -> int:
    """Check an export file's own chain (and that it contains `head`, if given)."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as error:
        print(f"okr: cannot read {path}: {error}", file=sys.stderr)
        return 1
    problem = check_export(lines, head)
    if problem is not None:
        print(f"FAILED {problem}")
        return 1
    print(f"OK {len(lines)} lines chain correctly")
    return 0
