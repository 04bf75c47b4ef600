"""The cached streak always equals the streak recounted from the raw logs.

Hypothesis drives members through random logs (some backdated into weeks
already cached), goal changes, pauses and clock moves, reading the leaderboard
in between so the cache is filled, extended and invalidated along the way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Member, MemberGoal, Workspace
from bot.services import goals, streak_cache
from bot.streaks import GoalHistory, Goals
from tests.support import Person

START = datetime(2026, 10, 19, 9, 0, tzinfo=UTC)
NAMES = ("ann", "ben")
workspaces = count()

steps = st.lists(
    st.one_of(
        st.tuples(st.just("outreach"), st.sampled_from(NAMES), st.integers(0, 20)),
        st.tuples(st.just("interview"), st.sampled_from(NAMES), st.integers(0, 20)),
        st.tuples(st.just("advance"), st.integers(1, 200)),
        st.tuples(st.just("goal"), st.sampled_from(NAMES), st.integers(1, 3), st.integers(0, 1)),
        st.tuples(st.just("pause"), st.sampled_from(NAMES), st.integers(1, 2)),
        st.tuples(
            st.just("tz"),
            st.sampled_from(NAMES),
            st.sampled_from(["Europe/Berlin", "America/New_York", "Pacific/Auckland", "UTC"]),
        ),
        st.tuples(
            st.just("board"),
        ),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(script=steps)
async def test_cached_streak_equals_recount(app: Peerpath, script: list[tuple]) -> None:
    clock = SimulatedClock(START)
    app.clock = clock  # each example starts its own story in a fresh workspace
    workspace = f"w{next(workspaces)}"
    people = {n: Person(app, n, workspace=workspace, channel="cohort") for n in NAMES}
    coach = Person(app, "coach", workspace=workspace, channel="cohort", is_admin=True)
    await coach.say("/group-setup outreach=1 interviews=0")
    await coach.say("/settings leaderboard=off")
    for n, step in enumerate(script):
        kind = step[0]
        if kind in ("outreach", "interview"):
            _, name, days_back = step
            day = (clock.now() - timedelta(days=days_back)).date().isoformat()
            command = "/outreach" if kind == "outreach" else "/logged-interview"
            await people[name].say(f"{command} Contact{n} date={day}")
        elif kind == "advance":
            clock.advance(timedelta(hours=step[1]))
        elif kind == "goal":
            await people[step[1]].say(f"/goal outreach={step[2]} interviews={step[3]}")
        elif kind == "pause":
            await people[step[1]].say(f"/pause weeks={step[2]}")
        elif kind == "tz":
            await people[step[1]].say(f"/settings tz={step[2]}")
        else:
            assert not (await coach.say("/leaderboard view=streak")).is_error
        await assert_cache_agrees(app, workspace, clock.now())


async def assert_cache_agrees(app: Peerpath, workspace: str, now: datetime) -> None:
    async with app.sessions() as session, session.begin():
        members = list(
            await session.scalars(
                select(Member)
                .join(Workspace, Workspace.id == Member.workspace_id)
                .where(Workspace.external_id == workspace)
            )
        )
        people = await streak_cache.clocked(session, members, now, "UTC")
        cached = await streak_cache.streaks(session, people, now)
        fresh = await streak_cache.streaks(session, people, now, use_cache=False)
        for person in people:
            expected = await streak_cache.recounted(session, person)
            assert cached[person.member_id] == expected, person.name
            assert fresh[person.member_id] == expected


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.dictionaries(
        st.integers(0, 20), st.tuples(st.integers(1, 9), st.integers(0, 9)), max_size=4
    ),
    week=st.integers(-3, 24),
)
async def test_sql_goals_in_effect_match_goal_history(
    app: Peerpath, changes: dict[int, tuple[int, int]], week: int
) -> None:
    """The board reads this week's goals in SQL; they must equal GoalHistory.for_week."""
    monday = date(2026, 1, 5)
    clock = SimulatedClock(START)
    app.clock = clock
    person = Person(app, "gia", workspace=f"g{next(workspaces)}")
    await person.say("/peerpath")
    async with app.sessions() as session, session.begin():
        member = await session.scalar(
            select(Member)
            .join(Workspace, Workspace.id == Member.workspace_id)
            .where(Workspace.external_id == person.workspace)
        )
        assert member is not None
        for n, (outreach, interviews) in changes.items():
            session.add(
                MemberGoal(
                    member_id=member.id,
                    week_start=monday + timedelta(weeks=n),
                    outreach=outreach,
                    interviews=interviews,
                    personal=True,
                    created_at=START,
                )
            )
        await session.flush()
        day = monday + timedelta(weeks=week)
        in_sql = (
            await session.execute(
                select(*goals.in_effect_columns(Member.id, day)).where(Member.id == member.id)
            )
        ).one()
        expected = GoalHistory(
            [(monday + timedelta(weeks=n), Goals(*g)) for n, g in changes.items()]
        ).for_week(day)
    assert Goals(*in_sql) == expected
