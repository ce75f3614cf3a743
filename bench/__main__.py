"""`python -m bench`: generate the data, run every measurement, write the results."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import time
from collections.abc import Awaitable
from pathlib import Path

from bench import databases, machine
from bench.generator import Dataset, Size, generate
from bench.report import LATEST, write
from bench.run import Run
from bench.stats import Row
from bench.targets import TARGETS
from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl

SECTIONS = ("rebuild", "checkins", "queries", "fanout", "sqlite", "soak", "attack")
FULL_EVENTS = 1_000_000


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one quarter (~67k events), 3 rounds")
    parser.add_argument("--events", type=int, help=f"how many events to generate ({FULL_EVENTS:,})")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the generated database between runs"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile each section in-process with pyinstrument (bench/results/profile-*.txt)",
    )
    return parser.parse_args()


def prepare(url: DatabaseUrl, size: Size, reuse: bool, workdir: Path) -> tuple[Dataset, float]:
    """The generated data on `url` (made afresh unless `--reuse` finds it) and its rate."""
    manifest = workdir / f"{databases.dbname(url)}.json"
    if reuse and manifest.exists() and databases.exists(url):
        return Dataset.load(manifest), 0.0
    databases.recreate(url)
    app = open_application(url)
    started = time.perf_counter()
    dataset = generate(app, size, lambda at: print(f"  generated {at:,} events", flush=True))
    rate = dataset.events / (time.perf_counter() - started)
    app.close()
    dataset.save(manifest)
    return dataset, rate


async def profiled(section: str, measuring: Awaitable[list[Row]]) -> list[Row]:
    """Run one section under pyinstrument and save the call tree as text."""
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="enabled")
    with profiler:
        found = await measuring
    path = LATEST.parent / f"profile-{section}.txt"
    path.write_text(profiler.output_text(unicode=True, show_all=False))
    print(f"  profile written to {path}", flush=True)
    return found


async def main() -> None:
    args = arguments()
    events = args.events or (0 if args.quick else FULL_EVENTS)
    size = Size() if not events else Size().for_events(events)
    workdir = databases.WORKDIR
    workdir.mkdir(parents=True, exist_ok=True)
    url = databases.postgres_url(os.environ.get("OKR_BENCH_DATABASE", "okr_bench"))
    print(f"Generating {size.quarters} quarter(s) on PostgreSQL", flush=True)
    dataset, rate = prepare(url, size, args.reuse, workdir)
    run = Run(url, open_application(url), dataset, args.quick, workdir)
    rows: list[Row] = []
    for section in args.only or SECTIONS:
        print(f"Measuring {section}", flush=True)
        module = importlib.import_module(f"bench.{section}")
        started = time.perf_counter()
        if args.profile:
            found = await profiled(section, module.measure(run))
        else:
            found = await module.measure(run)
        for row in found:
            print(f"  {row.what}: {row.figure:,.1f} {row.unit} (ratio {row.ratio})", flush=True)
        print(f"  ({section} took {time.perf_counter() - started:.0f} s)", flush=True)
        rows += found
    run.app.close()
    results = {
        "mode": "quick" if args.quick else "full",
        "events": dataset.events,
        "generated_per_second": round(rate),
        "rounds": run.rounds,
        "machine": machine.describe(databases.ADMIN_URL),
    }
    write(results, rows, TARGETS)
    if not args.reuse:
        databases.drop(url)


if __name__ == "__main__":
    asyncio.run(main())
