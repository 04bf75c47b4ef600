"""Two replicas over one PostgreSQL database sweep while a group's digest falls due: its
partner round is created once and announced once — also when the digest's first send
times out and the other replica, taking it over, composes the digest again."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import SimulatedClock
from bot.models import PartnerMatch, PartnerRound
from bot.ports import DeliveryFailed
from tests.support import NO_POSTGRES, POSTGRES_URL, Person, RecordingNotifier, core, outbox
from tests.support import postgres_schema as schema

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

MEMBERS = 8


async def test_two_replicas_create_and_announce_a_round_once(
    clock: SimulatedClock, tmp_path: Path
) -> None:
    platform = RecordingNotifier()
    async with schema(POSTGRES_URL) as kwargs:
        async with (
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as first,
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as second,
        ):
            coach = Person(first, "coach", channel="cohort")
            await coach.say("/settings reminders=off")
            # The clock starts on Wednesday at 10:00: the digest is a week and an hour away.
            await coach.say(
                "/group-setup tz=UTC digest-day=wednesday digest-hour=11 partners=weekly"
            )
            for n in range(MEMBERS):
                member = Person(first if n % 2 else second, f"m{n}", channel="cohort")
                await member.say("/settings quiet=off")
                await member.say("/partners on")
            clock.advance(timedelta(days=7, hours=2))
            # The digest's first send times out: it may have gone out, and is tried again.
            platform.fail_next("#cohort", DeliveryFailed("no answer", in_doubt=True))
            boxes = [outbox(app, {"console": platform}) for app in (first, second)]
            for _ in range(6):  # both sweep at once, again and again, an hour apart
                await asyncio.gather(*(box.sweep() for box in boxes))
                clock.advance(timedelta(hours=1))
            async with first.sessions() as session:
                rounds = await session.scalar(select(func.count()).select_from(PartnerRound))
                matched = list(await session.scalars(select(PartnerMatch.member_id)))

    assert platform.failures["#cohort"] == []  # the timed-out send was composed again
    assert rounds == 1
    assert len(matched) == len(set(matched)) == MEMBERS
    announced = Counter(
        d.target for d in platform.received if d.reply.title == "Your partner this round"
    )
    assert announced == Counter({f"m{n}": 1 for n in range(MEMBERS)})
    digests = [d for d in platform.received if d.target == "#cohort"]
    assert len(digests) == 1 and digests[0].reply.title.startswith("Weekly digest")
