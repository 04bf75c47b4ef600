"""A ``peerpath run`` killed (SIGKILL) in the middle of a large sweep loses no reminder and,
once restarted, repeats none — counted on the receiving side, the fake Slack."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import SimulatedClock
from tests.fakes.slack_requests import run_env
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.support import Person, core

MEMBERS = 150


def delivered_keys(fake: FakeSlack) -> Counter[str]:
    return Counter(
        key
        for call in fake.called("chat.postMessage")
        for key in call.params.get("metadata", {}).get("event_payload", {}).get("keys", [])
    )


async def start_run(fake: FakeSlack, database: Path) -> asyncio.subprocess.Process:
    env = run_env(
        fake,
        f"sqlite+aiosqlite:///{database}",
        PEERPATH_SWEEP_SECONDS="0.5",
        PEERPATH_NUDGE_LEASE_SECONDS="2",
        PEERPATH_LOG_LEVEL="WARNING",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=database.parent, env=env
    )


async def test_sigkill_mid_sweep_then_restart_delivers_each_once(tmp_path: Path) -> None:
    database = tmp_path / "peerpath.db"
    # Interviews logged two days ago: each member's first thank-you reminder is due now.
    clock = SimulatedClock(datetime.now(UTC) - timedelta(days=2))
    async with core(f"sqlite+aiosqlite:///{database}", clock, tmp_path) as app:
        for n in range(MEMBERS):
            member = Person(app, f"U{n:04d}", workspace=TEAM_ID, platform="slack")
            await member.say("/settings quiet=off")  # the test runs at any hour of the day
            reply = await member.say(f'/logged-interview "Contact {n}"')
            assert reply.title == "Interview logged"
    fake = FakeSlack()
    await fake.start()
    try:
        first = await start_run(fake, database)
        await fake.wait_until(lambda: len(delivered_keys(fake)) >= MEMBERS // 3)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        before_restart = len(delivered_keys(fake))
        assert 0 < before_restart < MEMBERS, "the kill should land mid-sweep"

        second = await start_run(fake, database)
        try:
            await fake.wait_until(lambda: len(delivered_keys(fake)) >= MEMBERS, within=60)
        finally:
            second.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(second.wait(), 20) == 0
    finally:
        await fake.stop()
    counts = delivered_keys(fake)
    assert len(counts) == MEMBERS
    assert max(counts.values()) == 1, [k for k, c in counts.items() if c > 1]
