"""Practice conversations: paired within each member's own week, once, by either replica."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Member, PracticePair, PracticeRequest
from tests.support import (
    NO_POSTGRES,
    POSTGRES_URL,
    Person,
    RecordingNotifier,
    core,
    count,
    outbox,
    postgres_schema,
)


def dms(notifier: RecordingNotifier, title: str = "Your practice conversation") -> list[str]:
    return [d.target for d in notifier.received if d.reply.title == title]


async def test_weeks_are_each_members_own(app: Peerpath, clock: SimulatedClock) -> None:
    """Honolulu's Sunday 23:00 is Monday 09:00 UTC and Monday 23:00 in Kiritimati: a
    request made then in Kiritimati pairs with Honolulu's (still open for an hour);
    one made at 10:30 UTC finds it lapsed."""
    await Person(app, "olga", channel="cohort", is_admin=True).say("/group-setup")
    hana, kiri, lou = (Person(app, n, channel="cohort") for n in ("hana", "kiri", "lou"))
    await hana.say("/settings tz=Pacific/Honolulu")
    await kiri.say("/settings tz=Pacific/Kiritimati")
    await lou.say("/join")
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # Sun 22 Nov 23:00 in Honolulu
    waiting = await hana.say("/practice")
    assert "lapses at the end of Sun 22 Nov (your time)" in waiting.text
    paired = await kiri.say("/practice field=finance")
    assert paired.title == "Practice partner" and "<@hana>" in paired.text
    clock.set(datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
    alone = await lou.say("/practice")
    assert alone.title == "Waiting for a practice partner"
    async with app.sessions() as session:
        (pair,) = await session.scalars(select(PracticePair))
        seeker = await session.get(Member, pair.seeker_id)
    assert seeker.user_id == "hana"  # who asked first plays the job seeker
    assert pair.field == "finance"  # the first request named none: the second's


async def test_waiting_repeating_cancelling_and_done(app: Peerpath, clock: SimulatedClock) -> None:
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    await Person(app, "olga", channel="cohort", is_admin=True).say("/group-setup")
    ann, ben, cid = (Person(app, n, channel="cohort") for n in ("ann", "ben", "cid"))
    await ann.say("/goal outreach=0 interviews=1")
    await ann.say("/practice")
    clock.advance(timedelta(minutes=2))
    assert (await ann.say("/practice")).title == "Still waiting"
    assert (await ann.say("/practice cancel")).title == "Request withdrawn"
    assert (await ann.say("/practice cancel")).title == "Nothing to cancel"
    assert await count(app, PracticeRequest) == 0
    await ben.say("/settings reminders=off")  # asked for, so his pairing DM still comes
    await ben.say('/practice field="UX research"')
    clock.advance(timedelta(minutes=2))
    paired = await ann.say("/practice")
    assert "<@ben>" in paired.text and [m.user_id for m in paired.mentions] == ["ben"]
    cancel = await ann.say("/practice cancel")
    assert cancel.title == "Already paired"
    await box.sweep()
    assert sorted(dms(notifier)) == ["ann", "ben"]
    by = {d.target: d.reply for d in notifier.received if d.target in ("ann", "ben")}
    assert "You play the job seeker and <@ann> plays the contact" in by["ben"].text
    assert "<@ben> plays the job seeker and you play the contact" in by["ann"].text
    done = by["ann"].actions[0]
    assert done.label == "Done: practice held" and done.id != by["ben"].actions[0].id
    for other in (cid, ben):  # a stranger, and the partner: the button is ann's
        refused = await other.press(done.id)
        assert refused.is_error and "someone else" in refused.text
    assert (await ann.press(done.id)).title == "Practice done"
    assert (await ann.press(done.id)).title == "Already marked"
    stats = {f.name: f.value for f in (await ann.say("/mystats")).fields}
    assert stats["Practice conversations"] == "1" and stats["Interviews held"] == "0"
    assert stats["Streak"] == "0 weeks (longest 0 weeks)"  # nor towards a streak
    goal = await ann.say("/goal")
    assert "0/1 interview" in goal.text and "goals met" not in goal.text  # nor goals
    board = await ann.say("/leaderboard view=all")
    assert "ann — 0" in board.text  # nor boards
    await box.sweep()
    assert sorted(dms(notifier)) == ["ann", "ben"]  # each DM once
    await ben.say("/forget-me confirm=yes")  # the pair goes with his data
    assert (await ann.say("/practice")).title == "Still waiting"
    assert (await ann.say("/practice cancel")).title == "Request withdrawn"


@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
async def test_two_replicas_pair_each_request_once(clock: SimulatedClock, tmp_path: Path) -> None:
    """Ten members ask at the same moment, alternately on two replicas over one
    PostgreSQL database: five pairs, nobody in two."""
    async with postgres_schema(POSTGRES_URL) as kwargs:
        async with (
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as first,
            core(POSTGRES_URL, clock, tmp_path, **kwargs) as second,
        ):
            await Person(first, "olga", channel="cohort", is_admin=True).say("/group-setup")
            people = [
                Person(first if n % 2 else second, f"m{n}", channel="cohort") for n in range(10)
            ]
            for person in people:
                await person.say("/join")
            clock.advance(timedelta(minutes=2))
            await asyncio.gather(*(p.say("/practice") for p in people))
            async with first.sessions() as session:
                pairs = list(await session.scalars(select(PracticePair)))
                requests = list(await session.scalars(select(PracticeRequest)))
    members = [m for p in pairs for m in (p.seeker_id, p.contact_id)]
    assert len(pairs) == 5 and len(set(members)) == 10
    assert all(r.matched_with is not None for r in requests)
