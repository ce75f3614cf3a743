"""Two processes on one SQLite file: one leads the views, the other follows them with
read-your-writes that does not misreport lag, and takes over when the leader goes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from okr.bootstrap import Runtime, open_runtime
from okr.domain.commands import RegisterPerson
from okr.infra.event_store import DatabaseUrl
from okr.services.context import Context

ROUNDS = 20


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.02)


async def test_one_leads_the_other_follows_and_takes_over(tmp_path: Path) -> None:
    url = DatabaseUrl(f"sqlite:///{tmp_path}/okr.sqlite")
    first, second = await open_runtime(url), await open_runtime(url)
    runners: list[asyncio.Task[None]] = []
    try:
        runners.append(asyncio.create_task(first.runner.run()))
        await until(lambda: first.runner.leading)
        runners.append(asyncio.create_task(second.runner.run()))
        await until(lambda: second.runner.standing_by)
        assert not second.runner.leading

        organization = second.app.create_organization("system:test", "Acme").id
        context = Context(organization, "system:test")
        for n in range(ROUNDS):
            result = await asyncio.to_thread(
                second.app.handle, context, RegisterPerson(f"Person {n}")
            )
            assert await second.caught_up(result.position, timeout=2.0), n
            assert await first.caught_up(result.position, timeout=2.0), n

        runners[0].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runners[0]
        await first.close()
        await until(lambda: second.runner.leading)

        result = await asyncio.to_thread(second.app.handle, context, RegisterPerson("After"))
        assert await second.caught_up(result.position, timeout=2.0)
        assert await second.runner.lag() == 0
    finally:
        for task in runners:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for runtime in (first, second):
            with contextlib.suppress(Exception):
                await runtime.close()


async def test_a_second_store_on_the_file_does_not_lead_while_the_first_does(
    tmp_path: Path,
) -> None:
    url = DatabaseUrl(f"sqlite:///{tmp_path}/okr.sqlite")
    first: Runtime = await open_runtime(url)
    second: Runtime = await open_runtime(url)
    try:
        async with first.store.leadership("x") as held:
            async with second.store.leadership("x") as refused:
                assert (held.held, refused.held) == (True, False)
                assert await held.alive()
            async with second.store.leadership("another") as other:
                assert other.held
        async with second.store.leadership("x") as after:
            assert after.held
    finally:
        await first.close()
        await second.close()
