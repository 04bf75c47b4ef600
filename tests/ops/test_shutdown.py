"""SIGTERM in the middle of a sweep: ``peerpath run`` exits 0 within its shutdown budget,
and no reminder it had claimed is lost — the next start delivers what did not go out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, select

from bot.clock import SimulatedClock
from bot.models import Nudge
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.ops.conftest import Database
from tests.ops.processes import Process, delivered_keys, slack_env, until
from tests.support import Person, core

MEMBERS = 30
BUDGET = 3.0  # PEERPATH_SHUTDOWN_SECONDS for these tests; the default is 9


class HoldingSlack(FakeSlack):
    """Holds every ``chat.postMessage`` until released: a sweep stays mid-flight at will.
    When released with ``lose=True`` the held messages fail unrecorded, as if the
    connection had died with the process."""

    def __init__(self) -> None:
        super().__init__()
        self.held = 0
        self.lose = False
        self._release = asyncio.Event()

    def release(self, lose: bool = False) -> None:
        self.lose = lose
        self._release.set()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage" and not self._release.is_set():
            async with self._changed:
                self.held += 1
                self._changed.notify_all()
            await self._release.wait()
            if self.lose:
                return web.json_response({"ok": False, "error": "fatal_error"}, status=500)
        return await super()._api(request)


async def due_reminders(database: Database, tmp_path: Path) -> None:
    """MEMBERS members, each with a thank-you reminder due now."""
    clock = SimulatedClock(datetime.now(UTC) - timedelta(days=2))
    async with core(database.url, clock, tmp_path, **database.engine) as app:
        for n in range(MEMBERS):
            member = Person(app, f"U{n:04d}", workspace=TEAM_ID, platform="slack")
            await member.say("/settings quiet=off")  # the test runs at any hour of the day
            reply = await member.say(f'/logged-interview "Contact {n}"')
            assert reply.title == "Interview logged"


def run_env(fake: FakeSlack, database: Database) -> dict[str, str]:
    return slack_env(
        fake,
        database.url,
        PEERPATH_SHUTDOWN_SECONDS=str(BUDGET),
        PEERPATH_NUDGE_LEASE_SECONDS="1",
        **database.env,
    )


async def test_sigterm_mid_sweep_exits_in_time_and_the_next_start_delivers_the_rest(
    database: Database, tmp_path: Path
) -> None:
    await due_reminders(database, tmp_path)
    fake = HoldingSlack()
    await fake.start()
    first = second = None
    try:
        first = await Process("run", env=run_env(fake, database), cwd=tmp_path).start()
        await until(fake, lambda: fake.held > 0)  # a sweep is now waiting on Slack

        code, seconds = await first.terminate()
        assert code == 0, first.log()
        assert seconds < BUDGET + 1.5, f"took {seconds:.1f} s"  # + interpreter exit
        assert "a sweep was still running at shutdown" in first.log()
        fake.release(lose=True)  # what was in flight never arrived
        assert delivered_keys(fake) == {}

        second = await Process("run", env=run_env(fake, database), cwd=tmp_path).start()
        await until(fake, lambda: len(delivered_keys(fake)) >= MEMBERS)
        code, _ = await second.terminate()
        assert code == 0, second.log()
    finally:
        for process in (first, second):
            if process is not None:
                await process.kill()
        await fake.stop()
    counts = delivered_keys(fake)
    assert len(counts) == MEMBERS and set(counts.values()) == {1}


async def test_a_sweep_that_finishes_within_the_budget_is_marked_before_exit(
    database: Database, tmp_path: Path
) -> None:
    await due_reminders(database, tmp_path)
    fake = HoldingSlack()
    await fake.start()
    first = None
    try:
        first = await Process("run", env=run_env(fake, database), cwd=tmp_path).start()
        await until(fake, lambda: fake.held > 0)
        stopping = asyncio.create_task(first.terminate())
        await first.logged("stopping")  # SIGTERM taken while the sweep waits on Slack
        fake.release()
        code, seconds = await stopping
        assert code == 0 and seconds < BUDGET + 1.5, first.log()
    finally:
        if first is not None:
            await first.kill()
        await fake.stop()
    assert len(delivered_keys(fake)) == MEMBERS
    # Marked sent before the exit, so a restart has nothing to send again.
    clock = SimulatedClock(datetime.now(UTC))
    async with core(database.url, clock, tmp_path, **database.engine) as app:
        async with app.engine.connect() as connection:
            rows = await connection.execute(
                select(Nudge.status, func.count()).group_by(Nudge.status)
            )
            statuses = dict(rows.all())
    assert statuses["sent"] == MEMBERS and "sending" not in statuses, statuses
