"""Two sweeps at once against one PostgreSQL database deliver each nudge exactly once."""

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import SimulatedClock
from tests.support import (
    NO_POSTGRES,
    POSTGRES_URL,
    Person,
    RecordingNotifier,
    core,
    outbox,
    postgres_schema,
)

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)


class MeetingNotifier(RecordingNotifier):
    """Holds its first delivery until the other sweep is delivering too: proof they overlap."""

    def __init__(self, barrier: asyncio.Barrier) -> None:
        super().__init__()
        self.barrier = barrier
        self.met = False

    async def send_dm(self, workspace_id, user_id, reply, keys=()) -> None:
        if not self.met:
            self.met = True
            await asyncio.wait_for(self.barrier.wait(), timeout=10)
        await super().send_dm(workspace_id, user_id, reply, keys)


async def test_two_sweeps_share_the_work_without_overlap(clock: SimulatedClock, tmp_path: Path):
    async with postgres_schema(POSTGRES_URL) as kwargs:
        async with (
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as first,
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as second,
        ):
            for n in range(60):
                member = Person(first if n % 2 else second, f"member-{n}")
                await member.say(f'/logged-interview "Contact {n}"')
                await member.say(f'/outreach "Lead {n}" company=Acme')
            clock.advance(timedelta(days=10))
            both_delivering = asyncio.Barrier(2)
            receivers = [MeetingNotifier(both_delivering) for _ in range(2)]
            sweeps = [
                outbox(app, {"console": receiver}, batch=7)
                for app, receiver in zip((first, second), receivers, strict=True)
            ]
            reports = await asyncio.gather(*(s.sweep() for s in sweeps))
    counts = Counter(receivers[0].keys() + receivers[1].keys())
    assert len(counts) == 60 * 2  # per member: the overdue thank-you and the 3B7 follow-up
    assert max(counts.values()) == 1
    assert sum(r.sent for r in reports) == 120
    assert all(r.sent > 0 for r in reports), "both sweeps took part"
