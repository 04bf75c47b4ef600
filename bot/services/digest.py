"""The group's weekly post: last week's board, goals met, totals, streaks and a chart.

"Last week" is the group's last completed ISO week on the group's clock, and
each member's logs are placed in it by the dates on their own calendar. Only
members on the leaderboard appear — in names and in the totals — so opting out
keeps a member's numbers out of every public post.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines, wording
from bot.dates import local_today, week_start
from bot.models import Group, Interview, Target
from bot.services import groups, leaderboard, streak_cache, tallies, targets
from bot.services.scope import Scope, batches
from bot.streaks import WEEK, Tally

CHART_WEEKS = 8
TOP_STREAKS = 3


class Digest(NamedTuple):
    """A group's last completed week, in counts only: what the weekly post says."""

    week: date  # its Monday, on the group's clock
    shown: int  # members on the board
    board: leaderboard.Ranking
    met: int  # members (not paused) who met every goal
    counted: int  # members not paused
    paused: int
    outreach: int
    interviews: int
    thanked_on_time: int
    referrals: int
    top: list[tuple[str, int]]  # (display name, current streak), longest first
    chart_weeks: list[date]
    chart_outreach: list[int]
    listing: int = 0  # members on the board keeping 10 or more target employers


def week_before(group: Group, now: datetime) -> date:
    """The Monday of the group's last completed week at ``now``, on the group's clock."""
    return week_start(local_today(now, ZoneInfo(group.tz))) - WEEK


async def last_week(
    session: AsyncSession, group: Group, now: datetime, week: date | None = None
) -> Digest:
    """The digest for ``week`` (a Monday), by default the group's week before ``now``: a
    post planned for a week says that week even when it goes out late."""
    if week is None:
        week = week_before(group, now)
    people, weeks, cached = await leaderboard.board(
        session, group, now, week=week, standings_too=True
    )
    chart_weeks = [week - WEEK * n for n in range(CHART_WEEKS - 1, -1, -1)]
    if not people:
        empty = leaderboard.Ranking([], 0)
        return Digest(week, 0, empty, 0, 0, 0, 0, 0, 0, 0, [], chart_weeks, [0] * CHART_WEEKS)
    ids = [p.member_id for p in people]
    paused = sum(1 for w in weeks.values() if w.paused)
    referrals, thanked = await _interview_totals(session, groups.scope(group), people, week)
    found = await streak_cache.streaks(session, people, now, cached=cached)
    top = sorted(
        (p for p in people if found[p.member_id].current > 0),
        key=lambda p: (
            -found[p.member_id].current,
            -found[p.member_id].longest,
            wording.member_name(p.name).casefold(),
        ),
    )[:TOP_STREAKS]
    history = await tallies.tallies(session, ids, chart_weeks[0], week + timedelta(days=6))
    return Digest(
        week=week,
        shown=len(people),
        board=leaderboard.week_entries(people, weeks),
        met=sum(1 for w in weeks.values() if w.met and not w.paused),
        counted=len(people) - paused,
        paused=paused,
        outreach=sum(w.tally.outreach for w in weeks.values()),
        interviews=sum(w.tally.interviews for w in weeks.values()),
        thanked_on_time=thanked,
        referrals=referrals,
        top=[(leaderboard.shown_name(p.name), found[p.member_id].current) for p in top],
        chart_weeks=chart_weeks,
        chart_outreach=[sum(history[i].get(w, Tally()).outreach for i in ids) for w in chart_weeks],
        listing=await _listing(session, ids),
    )


async def _listing(session: AsyncSession, ids: list[int]) -> int:
    """How many of ``ids`` keep a list of at least ``targets.LIST_SIZE`` targets: a
    count only, never whose list or what is on it."""
    found = 0
    for start in range(0, len(ids), 500):
        kept = (
            select(Target.member_id)
            .where(Target.member_id.in_(ids[start : start + 500]))
            .group_by(Target.member_id)
            .having(func.count() >= targets.LIST_SIZE)
            .subquery()
        )
        found += await session.scalar(select(func.count()).select_from(kept)) or 0
    return found


async def _interview_totals(
    session: AsyncSession, scope: Scope, people: list[streak_cache.Clocked], week: date
) -> tuple[int, int]:
    """Referrals collected in interviews held that week; thank-yous marked that week on
    time — both by the days on each member's own calendar.

    Only members shown on the board count (``people``), like every other public number.
    """
    shown = {p.member_id for p in people}
    referrals = thanked = 0
    for batch in batches(scope):
        held = await session.execute(
            select(Interview.member_id, func.sum(Interview.referral_count))
            .where(
                Interview.member_id.in_(batch),
                Interview.held_on >= week,
                Interview.held_on < week + WEEK,
            )
            .group_by(Interview.member_id)
        )
        referrals += sum(int(total) for member_id, total in held if member_id in shown)
        notes = await session.execute(
            select(Interview.member_id, func.count())
            .where(
                Interview.member_id.in_(batch),
                Interview.thanked_on >= week,
                Interview.thanked_on < week + WEEK,
                deadlines.on_time_sql(),
            )
            .group_by(Interview.member_id)
        )
        thanked += sum(count for member_id, count in notes if member_id in shown)
    return referrals, thanked
