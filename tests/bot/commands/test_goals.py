"""Groups, goals, streaks, pauses and leaderboards on a real database with a fixed clock.

The clock starts on Monday 19 October 2026, a week before Europe/Berlin leaves
summer time (Sunday 25 October) and two before America/New_York does
(Sunday 1 November), so week boundaries can be checked across both changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Group, Member, MemberGoal, Pause, Workspace
from tests.support import Person

START = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)
CHANNEL = "cohort"


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


def person(app: Peerpath, name: str, **kwargs: object) -> Person:
    return Person(app, name, channel=CHANNEL, **kwargs)


async def set_up_group(app: Peerpath, goals: str = "outreach=1 interviews=0") -> Person:
    coach = person(app, "coach", is_admin=True)
    reply = await coach.say(f"/group-setup tz=Europe/Berlin {goals}")
    assert reply.title == "Group created", reply.text
    await coach.say("/settings leaderboard=off")
    return coach


async def log(who: Person, clock: SimulatedClock, at: datetime, contact: str) -> None:
    clock.set(at)
    reply = await who.say(f'/outreach "{contact}" company=Acme')
    assert reply.title == "Outreach logged", reply.text


async def test_goal_progress_reads_like_the_issue(app: Peerpath, clock: SimulatedClock) -> None:
    await set_up_group(app, "outreach=5 interviews=1")
    ann = person(app, "ann")
    await ann.say("/settings tz=Europe/Berlin")
    for n in range(3):
        await ann.say(f"/outreach Contact{n}")
    await ann.say("/logged-interview Contact0")
    clock.set(datetime(2026, 10, 22, 9, 0, tzinfo=UTC))  # Thursday
    reply = await ann.say("/goal")
    assert reply.text == "3/5 outreach, 1/1 interview, 4 days left"
    changed = await ann.say("/goal outreach=3")
    assert changed.text == "3/3 outreach, 1/1 interview, 4 days left ✓ goals met"
    assert "1 week" in changed.fields[0].value


async def test_sunday_night_counts_where_the_berlin_clock_puts_it(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await set_up_group(app)
    ann = person(app, "ann")
    await ann.say("/settings tz=Europe/Berlin")
    # Sunday 25 Oct, 23:30 in Berlin (CET since 03:00 that night): still last week.
    await log(ann, clock, datetime(2026, 10, 25, 22, 30, tzinfo=UTC), "Late Sunday")
    reply = await ann.say("/goal")
    assert reply.text.startswith("1/1 outreach") and "1 day left" in reply.text
    # 00:30 on Monday in Berlin, though still Sunday in UTC: a new week.
    clock.set(datetime(2026, 10, 25, 23, 30, tzinfo=UTC))
    reply = await ann.say("/goal")
    assert reply.text.startswith("0/1 outreach") and "7 days left" in reply.text
    assert reply.fields[0].value.startswith("1 week")
    await log(ann, clock, datetime(2026, 10, 25, 23, 40, tzinfo=UTC), "Early Monday")
    reply = await ann.say("/goal")
    assert reply.fields[0].value.startswith("2 weeks")


async def test_new_york_sunday_night_after_fall_back(app: Peerpath, clock: SimulatedClock) -> None:
    await set_up_group(app)
    nia = person(app, "nia")
    await nia.say("/settings tz=America/New_York")
    # Sunday 1 Nov, 23:30 EST = Monday 04:30 UTC (an EDT clock would say Monday 00:30).
    await log(nia, clock, datetime(2026, 11, 2, 4, 30, tzinfo=UTC), "Sunday Night")
    reply = await nia.say("/goal")
    assert reply.text.startswith("1/1 outreach") and "1 day left" in reply.text
    clock.set(datetime(2026, 11, 2, 5, 30, tzinfo=UTC))  # 00:30 Monday in New York
    reply = await nia.say("/goal")
    assert reply.text.startswith("0/1 outreach") and reply.fields[0].value.startswith("1 week")


async def test_members_in_different_zones_share_a_board(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await set_up_group(app)
    bea = person(app, "bea")  # Berlin
    nia = person(app, "nia")  # New York
    await bea.say("/settings tz=Europe/Berlin")
    await nia.say("/settings tz=America/New_York")
    await log(nia, clock, datetime(2026, 11, 2, 3, 0, tzinfo=UTC), "Nia Sunday")  # Sun 22:00 NY
    await log(bea, clock, datetime(2026, 11, 2, 4, 0, tzinfo=UTC), "Bea Monday")  # Mon 05:00 DE
    clock.set(datetime(2026, 11, 2, 4, 30, tzinfo=UTC))
    board = await bea.say("/leaderboard")
    # Nia is still in her Sunday (week of 26 Oct); Bea's new week has begun.
    assert board.text == "1. bea — 1 ✓\n1. nia — 1 ✓"
    assert board.visibility == "public"
    clock.set(datetime(2026, 11, 2, 6, 0, tzinfo=UTC))  # Monday 01:00 in New York
    board = await bea.say("/leaderboard")
    assert board.text == "1. bea — 1 ✓\n2. nia — 0"


async def test_ties_share_a_rank_and_opted_out_members_are_left_out(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await set_up_group(app, "outreach=2 interviews=0")
    ann, ben, cid, dan = (person(app, n) for n in ("ann", "ben", "cid", "dan"))
    for who, count in ((ann, 2), (ben, 2), (cid, 1), (dan, 5)):
        for n in range(count):
            await who.say(f'/outreach "{who.name} contact {n}" company=SecretCorp')
    await dan.say("/settings leaderboard=off")
    await ann.say('/logged-interview "ann contact 0" notes="private detail"')
    await ben.say('/logged-interview "ben contact 0"')
    board = await cid.say("/leaderboard view=week")
    assert board.text == "1. ann — 2 ✓\n1. ben — 2 ✓\n2. cid — 1"
    everything = await cid.say("/leaderboard view=all")
    assert everything.text == "1. ann — 1\n1. ben — 1\n2. cid — 0"
    streaks = await cid.say("/leaderboard view=streak")
    assert streaks.text.splitlines()[:2] == [
        "1. ann — 1 week (longest 1 week)",
        "1. ben — 1 week (longest 1 week)",
    ]
    for reply in (board, everything, streaks):
        shown = reply.text + "".join(f.value for f in reply.fields)
        assert "dan" not in shown and "SecretCorp" not in shown and "contact" not in shown
        assert "private" not in shown


async def test_streak_tie_break_is_the_longest_streak(app: Peerpath, clock: SimulatedClock) -> None:
    await set_up_group(app)
    ann, ben, cid = person(app, "ann"), person(app, "ben"), person(app, "cid")
    mondays = [datetime(2026, 10, 19, 9, 0, tzinfo=UTC) + timedelta(weeks=n) for n in range(4)]
    plan = {"ann": (0, 1, 3), "ben": (3,), "cid": (3,)}  # weeks in which each met the goal
    for week, moment in enumerate(mondays):
        clock.set(moment)
        for who in (ann, ben, cid):
            if week in plan[who.name]:
                await who.say(f"/outreach Week{week}")
    board = await ann.say("/leaderboard view=streak")
    assert board.text == (
        "1. ann — 1 week (longest 2 weeks)\n"
        "2. ben — 1 week (longest 1 week)\n"
        "2. cid — 1 week (longest 1 week)"
    )


async def test_pause_keeps_a_streak_and_explains_its_cap(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await set_up_group(app)
    ann = person(app, "ann")
    await ann.say("/outreach Week1")
    clock.set(datetime(2026, 10, 26, 9, 0, tzinfo=UTC))
    paused = await ann.say("/pause weeks=1")
    assert paused.title == "Paused", paused.text
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    reply = await ann.say("/goal")
    assert reply.fields[0].value.startswith("1 week"), "a paused week must not break it"
    await ann.say("/outreach Week3")
    reply = await ann.say("/goal")
    assert reply.fields[0].value.startswith("2 weeks"), "nor extend it"
    ok = await ann.say("/pause weeks=2 from=2026-11-09")
    assert not ok.is_error, ok.text
    refused = await ann.say("/pause weeks=1 from=2026-11-23")
    assert refused.is_error and "at most 2 weeks in a row" in refused.text
    refused = await ann.say("/pause weeks=2 from=2026-11-30")
    assert refused.is_error and "At most 4 paused weeks fit in any 12 weeks" in refused.text
    refused = await ann.say("/pause weeks=3")
    assert refused.is_error and "between 0 and 2" in refused.text
    cancelled = await ann.say("/pause weeks=0")
    assert "Cancelled 2" in cancelled.text


async def test_only_admins_set_up_groups(app: Peerpath) -> None:
    member = Person(app, "sam", channel=CHANNEL, platform="slack", is_admin=False)
    refused = await member.say("/group-setup tz=Europe/Berlin")
    assert refused.is_error and "admins only" in refused.text
    owner = Person(app, "olga", channel=CHANNEL, platform="slack", is_admin=True)
    assert (await owner.say("/group-setup tz=Europe/Berlin")).title == "Group created"
    refused = await member.say("/digest")
    assert refused.is_error


async def test_console_first_member_of_a_workspace_is_admin(app: Peerpath) -> None:
    first = person(app, "first")
    assert (await first.say("/peerpath")).title == "peerpath"
    second = person(app, "second")
    assert (await second.say("/group-setup")).is_error
    assert (await first.say("/group-setup")).title == "Group created"


async def test_using_a_command_in_the_channel_joins_and_leave_sticks(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await set_up_group(app)
    ben = person(app, "ben")
    elsewhere = Person(app, "ann", channel="random")
    await elsewhere.say("/outreach Someone")
    await ben.say("/outreach Someone")
    board = await ben.say("/leaderboard")
    assert board.text == "1. ben — 1 ✓"
    assert (await elsewhere.say("/leaderboard")).is_error
    left = await ben.say("/leave")
    assert left.title == "You left the group"
    await ben.say("/goal")  # a command in the channel no longer rejoins after /leave
    assert (await ben.say("/leaderboard")).text == "Nobody to show yet."
    back = await ben.say("/join")
    assert back.title == "Welcome back"
    assert (await ben.say("/leaderboard")).text == "1. ben — 1 ✓"


async def test_group_defaults_apply_from_this_week_on(app: Peerpath, clock: SimulatedClock) -> None:
    coach = await set_up_group(app, "outreach=1 interviews=0")
    ann = person(app, "ann")
    await ann.say("/outreach One")
    clock.set(datetime(2026, 10, 26, 9, 0, tzinfo=UTC))
    await coach.say("/group-setup outreach=3")
    reply = await ann.say("/goal")
    assert reply.text.startswith("0/3 outreach")
    assert reply.fields[0].value.startswith("1 week"), "last week was judged by its own goal"
    own = person(app, "own")
    await own.say("/goal outreach=2")
    await coach.say("/group-setup outreach=4")
    assert (await own.say("/goal")).text.startswith("0/2 outreach"), "personal goals stay"


async def test_mystats_has_rates_and_a_png_chart(app: Peerpath, clock: SimulatedClock) -> None:
    await set_up_group(app)
    ann = person(app, "ann")
    for name in ("Jane Doe", "Bob Lee", "Cy Wu", "Di Ho"):
        await ann.say(f'/outreach "{name}"')
    clock.set(datetime(2026, 10, 21, 9, 0, tzinfo=UTC))
    await ann.say('/logged-interview "Jane Doe" referrals="Al Kay; Mo Ray"')
    await ann.say('/thanked "Jane Doe"')
    reply = await ann.say("/mystats")
    assert reply.visibility == "ephemeral"
    values = {f.name: f.value for f in reply.fields}
    assert values["Outreach → interview"] == "25% (1 of 4)"
    assert values["Referrals collected"] == "2"
    assert values["Thank-yous on time"] == "100% (1 of 1)"
    assert reply.image is not None and reply.image.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_bad_goal_input_is_explained_and_changes_nothing(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await set_up_group(app, "outreach=5 interviews=1")
    ann = person(app, "ann")
    for line in ("/goal outreach=0", "/goal outreach=lots", "/goal interviews=-1", "/goal x=1"):
        reply = await ann.say(line)
        assert reply.is_error and "Example" in reply.text, line
    assert (await ann.say("/goal")).text.startswith("0/5 outreach, 0/1 interview,")


async def rows_of(app: Peerpath, workspace: str) -> tuple[int, ...]:
    """How many goal, pause, group and membership rows the workspace has."""
    async with app.sessions() as session:
        counts = []
        for model, owner in ((MemberGoal, MemberGoal.member_id), (Pause, Pause.member_id)):
            counts.append(
                await session.scalar(
                    select(func.count())
                    .select_from(model)
                    .join(Member, Member.id == owner)
                    .join(Workspace, Workspace.id == Member.workspace_id)
                    .where(Workspace.external_id == workspace)
                )
            )
        counts.append(
            await session.scalar(
                select(func.count())
                .select_from(Group)
                .join(Workspace, Workspace.id == Group.workspace_id)
                .where(Workspace.external_id == workspace)
            )
        )
    return tuple(counts)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    command=st.sampled_from(["goal", "pause", "group-setup", "leaderboard", "join", "leave"]),
    text=st.text(max_size=60),
)
async def test_any_text_gets_a_clear_answer_and_errors_write_nothing(
    app: Peerpath, command: str, text: str
) -> None:
    workspace = f"fuzz-{command}"
    admin = Person(app, "admin", workspace=workspace, channel=CHANNEL, is_admin=True)
    await admin.say("/peerpath")  # the member exists before the counts are taken
    before = await rows_of(app, workspace)
    reply = await admin.say(f"/{command} {text}")
    assert reply.title != "Sorry", reply.text  # never the internal-error apology
    if reply.is_error:
        assert await rows_of(app, workspace) == before, reply.text
