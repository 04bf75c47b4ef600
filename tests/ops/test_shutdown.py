"""SIGTERM in the middle of a sweep: ``peerpath run`` exits 0 within its shutdown budget,
and no reminder it had claimed is lost — the next start delivers what did not go out.
SIGTERM under a stream of Slack commands: nothing acknowledged is lost or answered twice."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from bot.clock import SimulatedClock
from bot.models import Nudge, Outreach
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.ops.conftest import Database
from tests.ops.processes import Process, delivered_keys, slack_env, until
from tests.support import Person, core, count

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


RATE = 100  # signed slash commands per second
SECONDS = 3.0  # how long they keep coming
SIGTERM_AT = 1.5  # seconds into the stream


class AnswersHeldAtShutdown(FakeSlack):
    """From :meth:`hold` on, answers posted to response_url wait until :meth:`release`,
    then fail unrecorded (as if the connection had died with the process): what the
    process had not posted by its exit must come from the next start."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = False
        self._release = asyncio.Event()

    def release(self) -> None:
        self._release.set()

    async def _response_url(self, request: web.Request) -> web.Response:
        if self.holding and not self._release.is_set():
            await self._release.wait()
            return web.Response(status=500, text="lost")
        return await super()._response_url(request)


async def test_commands_at_100_per_second_across_sigterm_are_each_answered_once(
    database: Database, tmp_path: Path
) -> None:
    """Every request acknowledged with a 200 is stored once and answered once — before the
    exit, or by the next start from what the first handed over; the rest are refused
    (503 or connection refused), which Slack shows or retries."""
    fake = AnswersHeldAtShutdown()
    await fake.start()
    first = second = None
    statuses: dict[int, int] = {}
    urls: dict[int, str] = {}
    try:
        first = await Process("run", env=run_env(fake, database), cwd=tmp_path).start()
        await first.ready()
        slack = SlackSide(fake, f"{first.base}/slack/events")

        async def send(n: int) -> None:
            try:
                sent = await slack.command("outreach", f'"Person {n}"', user=f"U{n:04d}")
                statuses[n], urls[n] = sent.status, sent.response_url
            except aiohttp.ClientError:  # the listening socket is closed: refused
                statuses[n] = 0

        loop = asyncio.get_running_loop()
        began = loop.time()
        sending = []
        for n in range(int(RATE * SECONDS)):
            await asyncio.sleep(max(0.0, began + n / RATE - loop.time()))  # the pace itself
            if n == int(RATE * SIGTERM_AT):
                fake.holding = True  # what is still to be answered now gets no answer
                first.process.send_signal(signal.SIGTERM)
            sending.append(asyncio.create_task(send(n)))
        await asyncio.gather(*sending)
        assert await first.exit() == 0, first.log()
        fake.release()

        acknowledged = {urls[n] for n, status in statuses.items() if status == 200}
        before_exit = acknowledged & {c.params["_url"] for c in fake.called("response_url")}
        second = await Process("run", env=run_env(fake, database), cwd=tmp_path).start()
        await fake.wait_until(
            lambda: acknowledged <= {c.params["_url"] for c in fake.called("response_url")}
        )
        assert (await second.terminate())[0] == 0, second.log()
    finally:
        for process in (first, second):
            if process is not None:
                await process.kill()
        await fake.stop()
    answered = Counter(c.params["_url"] for c in fake.called("response_url"))
    async with core(
        database.url, SimulatedClock(datetime.now(UTC)), tmp_path, **database.engine
    ) as app:
        stored = await count(app, Outreach)
    refused = Counter(status for status in statuses.values() if status != 200)
    print(
        f"{len(statuses)} sent at {RATE}/s, SIGTERM after {SIGTERM_AT} s: {len(acknowledged)} "
        f"acknowledged, {len(before_exit)} answered before the exit, "
        f"{len(acknowledged) - len(before_exit)} handed over and answered by the next start; "
        f"refused: {dict(refused)}"
    )
    assert set(statuses.values()) <= {200, 503, 0}, Counter(statuses.values())
    assert refused, "the stream went on after SIGTERM"
    assert all(answered[url] == 1 for url in acknowledged), "an answer went missing or twice"
    assert stored == len(acknowledged)
    assert len(acknowledged) > len(before_exit), "nothing was left to hand over"
    assert "handed over to the next start" in first.log()
