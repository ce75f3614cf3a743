"""`okr project`: follow the event store and keep the read models current."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from okr.bootstrap import open_runtime
from okr.infra.event_store import DatabaseUrl


async def run(url: DatabaseUrl, batch_size: int | None) -> int:
    """Lead the read models when no other process does, until SIGINT or SIGTERM."""
    runtime = await open_runtime(url, batch_size=batch_size)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    task = asyncio.create_task(runtime.runner.run())
    task.add_done_callback(lambda _: stop.set())
    try:
        await stop.wait()
        if task.done() and not task.cancelled() and task.exception() is not None:
            print(f"okr: the view runner stopped: {task.exception()}")
            return 1
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await runtime.close()
    return 0
