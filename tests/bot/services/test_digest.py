"""The weekly digest: last week's board, goals met, totals, streaks and a headless PNG chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import Peerpath
from bot.charts import SMALL, small_bars, weekly_bars
from bot.clock import SimulatedClock
from bot.commands.digest import digest_reply
from bot.models import Group
from tests.support import Person

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # Monday
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


def test_chart_is_a_png_without_a_display() -> None:
    png = weekly_bars([START.date()], [3], "outreach", goal=5)
    assert len(png) > 1000 and png.startswith(PNG)


def test_the_personal_chart_is_a_small_png_of_its_counts() -> None:
    weeks = [START.date() + timedelta(weeks=n) for n in range(8)]
    png = small_bars(weeks, [3, 5, 2, 6, 0, 4, 7, 1], "Your outreach per week", 5)
    assert png.startswith(PNG)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == SMALL
    assert small_bars(weeks, [3, 5, 2, 6, 0, 4, 7, 2], "Your outreach per week", 5) != png
    assert small_bars(weeks, [3, 5, 2, 6, 0, 4, 7, 1], "Your outreach per week", 6) != png


async def test_digest_covers_last_week(app: Peerpath, clock: SimulatedClock) -> None:
    coach = Person(app, "coach", channel="cohort", is_admin=True)
    await coach.say("/group-setup tz=Europe/Berlin outreach=2 interviews=1")
    await coach.say("/settings leaderboard=off")
    ann, ben, cid, zed = (Person(app, n, channel="cohort") for n in ("ann", "ben", "cid", "zed"))
    await ann.say('/outreach "Jane Doe" company=Hidden')
    await ann.say('/outreach "Bob Lee"')
    await ann.say('/logged-interview "Jane Doe" referrals="Al Kay; Mo Ray" notes="secret"')
    await ann.say('/thanked "Jane Doe"')
    await ben.say("/outreach Cy")
    await cid.say("/pause weeks=1")
    await zed.say("/outreach Private")
    await zed.say("/settings leaderboard=off")
    clock.set(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))  # Monday 09:00 in Berlin
    async with app.sessions() as session, session.begin():
        group = await session.scalar(select(Group).where(Group.channel_id == "cohort"))
        digest = await digest_reply(session, group, clock.now())
    assert digest.title == "Weekly digest — week of Mon 2 Nov"
    values = {f.name: f.value for f in digest.fields}
    assert values["Outreach last week"] == "1. ann — 2 ✓\n2. ben — 1\n3. cid — 0 (paused)"
    assert values["Goals"] == "1 of 2 members met every goal (1 on pause)"
    assert values["Group totals"] == (
        "3 outreach · 1 interview · 1 thank-you on time · 2 referrals collected"
    )
    assert values["Longest streaks"] == "ann — 1 week"
    shown = "\n".join([digest.text, *values.values()])
    for private in ("zed", "Hidden", "Jane", "secret", "coach"):
        assert private not in shown
    assert digest.image is not None and digest.image.content.startswith(PNG)
    posted = await coach.say("/digest")
    assert posted.title == digest.title and posted.visibility == "public"


async def test_digest_counts_members_with_ten_targets_and_names_no_employer(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """Ann keeps 10 targets, Ben 9, Zed 12 but is off the board: "1 of 2 members"."""
    coach = Person(app, "coach", channel="cohort", is_admin=True)
    await coach.say("/group-setup tz=Europe/Berlin")
    await coach.say("/settings leaderboard=off")
    for name, kept, shown in (("ann", 10, True), ("ben", 9, True), ("zed", 12, False)):
        member = Person(app, name, channel="cohort")
        for n in range(kept):
            await member.say(f"/targets add company=Secretco{n} new=yes")
        if not shown:
            await member.say("/settings leaderboard=off")
    clock.set(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))
    async with app.sessions() as session, session.begin():
        group = await session.scalar(select(Group).where(Group.channel_id == "cohort"))
        digest = await digest_reply(session, group, clock.now())
    values = {f.name: f.value for f in digest.fields}
    assert values["Target lists"] == (
        "1 of 2 members keep a list of 10 or more employers to learn about (/targets)."
    )
    assert "Secretco" not in str(digest)
