"""A round's history and count when a member leaves mid-round and comes back: whom they
were with stays in the history the next rounds avoid, and the digest counts the teams
as they stand — read straight from the database after real commands and sweeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Group, Member, PartnerMatch, PartnerRound
from bot.services import rounds
from tests.support import Person, RecordingNotifier, outbox

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # Monday


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


async def test_leaving_and_rejoining_keeps_whom_a_member_was_with(
    app: Peerpath, clock: SimulatedClock
) -> None:
    coach = Person(app, "coach", channel="cohort", is_admin=True)
    await coach.say("/settings reminders=off")
    await coach.say("/group-setup tz=UTC digest-day=monday digest-hour=9 partners=weekly")
    people = {n: Person(app, n, channel="cohort") for n in ("ann", "ben", "cid", "dot")}
    for person in people.values():
        await person.say("/partners on")
    clock.advance(timedelta(days=7, hours=2))  # Monday 9 November 10:00
    await outbox(app, {"console": RecordingNotifier()}).sweep()  # digest: the round starts
    async with app.sessions() as session:
        ids = dict((await session.execute(select(Member.display_name, Member.id))).all())
        teams = dict(
            (await session.execute(select(PartnerMatch.member_id, PartnerMatch.team))).all()
        )
    (partner,) = [m for m, t in teams.items() if t == teams[ids["ann"]] and m != ids["ann"]]
    await people["ann"].say("/leave")  # her partner joins the other pair
    await people["ann"].say("/join")
    async with app.sessions() as session:
        group = await session.scalar(select(Group).where(Group.channel_id == "cohort"))
        assert group is not None
        recent = await rounds.recent_pairs(session, group)
        week = await session.scalar(select(PartnerRound.ends_week))
        assert week is not None
        counted = await rounds.checked_in(session, group, week)
    assert frozenset({ids["ann"], partner}) in recent
    others = set(teams) - {ids["ann"], partner}
    assert {frozenset({partner, m}) for m in others} <= recent  # and the trio she left
    assert counted == rounds.CheckedIn(0, 1, False)  # one team, a trio: "teams"
