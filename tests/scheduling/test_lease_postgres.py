"""Two replicas over one PostgreSQL database, with deliveries that outlast the lease: each
reminder arrives once. (Before, a batch whose sends took longer than the lease was taken
over by the other replica and re-sent: the lease covered the claim, not each delivery.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import SimulatedClock
from bot.replies import Reply
from scheduling.outbox import Outbox
from tests.support import NO_POSTGRES, POSTGRES_URL, Person, RecordingNotifier, core, outbox
from tests.support import postgres_schema as schema

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

MEMBERS = 80
LEASE = timedelta(seconds=300)  # PEERPATH_NUDGE_LEASE_SECONDS' default
# Each DM takes this long on the shared test clock: the slow replica's batch (40 members,
# one at a time) outlasts the lease four times over, while one delivery stays inside it.
SEND = LEASE / 10


class SlowPlatform(RecordingNotifier):
    """A platform slow to answer, which cannot tell whether a message went out (as on
    Discord): only the lease can keep two replicas from sending the same reminder."""

    def __init__(self, clock: SimulatedClock) -> None:
        super().__init__()
        self.clock = clock

    async def send_dm(self, workspace_id: str, user_id: str, reply: Reply, keys=()) -> None:
        self.clock.advance(SEND)
        await asyncio.sleep(0)  # the other replica runs while this one waits for an answer
        await super().send_dm(workspace_id, user_id, reply, keys)

    async def was_delivered(self, workspace_id: str, target_id: str, key: str) -> bool:
        return False


async def replica(box: Outbox, platform: SlowPlatform, sweeps: list[int]) -> None:
    """Sweep back to back, as a replica under load would, until every member has heard."""
    while len({d.target for d in platform.received}) < MEMBERS:
        report = await box.sweep()
        sweeps.append(report.sent)
        await asyncio.sleep(0)


async def test_two_replicas_with_slow_sends_deliver_each_reminder_once(
    clock: SimulatedClock, tmp_path: Path
) -> None:
    platform = SlowPlatform(clock)
    async with schema(POSTGRES_URL) as kwargs:
        async with (
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as first,
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as second,
        ):
            for n in range(MEMBERS):
                member = Person(first, f"member-{n}")
                await member.say("/settings quiet=off")
                await member.say(f'/logged-interview "Contact {n}"')
            clock.advance(timedelta(days=1))
            started = clock.now()
            sweeps: list[list[int]] = [[], []]
            # Each claims half the members; one sends them one at a time, the other eight at
            # once, then sweeps again and again — finding the slow one's claims expired
            # unless they are renewed.
            boxes = [
                outbox(app, {"console": platform}, batch=MEMBERS // 2, concurrency=workers)
                for app, workers in ((first, 1), (second, 8))
            ]
            await asyncio.wait_for(
                asyncio.gather(
                    *(replica(b, platform, s) for b, s in zip(boxes, sweeps, strict=True))
                ),
                timeout=120,
            )
    counts = Counter(platform.keys())
    assert len({d.target for d in platform.received}) == MEMBERS
    assert [k for k, c in counts.items() if c > 1] == []  # 0 duplicates
    assert all(sum(s) > 0 for s in sweeps), "both replicas took part"
    assert clock.now() - started > 2 * LEASE  # the sends outlasted the lease
