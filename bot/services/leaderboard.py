"""Channel leaderboards: counts only, dense ranks, opted-out members left out.

Three views: this week's outreach (✓ when every goal is met), current streaks
(longest as the tie-break) and all-time interviews. Entries carry display
names and numbers — never notes, contact names or companies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_start
from bot.models import Group, Interview, Member, Outreach
from bot.services import goals, groups, standings
from bot.services.reads import read
from bot.services.standings import Clocked
from bot.streaks import Tally, dense_ranks

SHOWN = 20


class View(StrEnum):
    WEEK = "week"
    STREAK = "streak"
    ALL = "all"


class Entry(NamedTuple):
    rank: int
    name: str
    score: str


def display_name(name: str) -> str:
    return name or "a member"


class Board(NamedTuple):
    """Who shows on a group's boards, each on their own clock, with this week's counts."""

    people: list[Clocked]
    this_week: dict[int, Tally]


async def board(session: AsyncSession, group: Group, now: datetime, counts: bool = True) -> Board:
    """Active members with leaderboards on, and (``counts``) what each logged this week.

    One query counts everyone's logs in the group's week; the few members whose own
    clock is in another week right now (near Monday midnight) are counted again.
    """
    group_week = week_start(local_today(now, ZoneInfo(group.tz)))
    days = (group_week, group_week + timedelta(days=6))
    counted = [
        select(func.count())
        .where(owner == Member.id, day.between(*days))
        .correlate(Member)
        .scalar_subquery()
        if counts
        else literal(0)
        for owner, day in (
            (Outreach.member_id, Outreach.sent_on),
            (Interview.member_id, Interview.held_on),
        )
    ]
    rows = await read(
        session,
        select(Member.id, Member.display_name, groups.zone_column(), *counted)
        .where(Member.id.in_(groups.scope(group)), Member.leaderboard_on.is_(True))
        .order_by(Member.id),
    )
    people, this_week = [], {}
    for member_id, name, tz_name, outreach, interviews in rows:
        person = standings.clock(member_id, name, tz_name or group.tz, now)
        people.append(person)
        if person.week == group_week:
            this_week[member_id] = Tally(outreach, interviews)
    elsewhere = [p for p in people if p.week != group_week]
    if counts and elsewhere:
        found = await goals.tallies(
            session,
            [p.member_id for p in elsewhere],
            min(p.week for p in elsewhere),
            max(p.week for p in elsewhere) + timedelta(days=6),
        )
        for p in elsewhere:
            this_week[p.member_id] = found[p.member_id].get(p.week, Tally())
    return Board(people, this_week)


async def week_results(
    session: AsyncSession,
    group: Group,
    people: Sequence[Clocked],
    week_of: dict[int, date],
    counted: Mapping[int, Tally] | None = None,
) -> dict[int, tuple[Tally, bool, bool]]:
    """For each member, ``week_of`` their week: (tally, every goal met, paused).

    ``counted`` supplies the tallies when the caller already has them.
    """
    ids = [p.member_id for p in people]
    if not ids:
        return {}
    scope = groups.scope(group)
    if counted is None:
        found = await goals.tallies(
            session, scope, min(week_of.values()), max(week_of.values()) + timedelta(days=6)
        )
        counted = {i: found[i].get(week_of[i], Tally()) for i in ids}
    plans = await goals.histories(session, scope)
    paused = await goals.paused_weeks(session, scope)
    result = {}
    for i in ids:
        week = week_of[i]
        tally = counted.get(i, Tally())
        result[i] = (tally, tally.meets(plans[i].for_week(week)), week in paused[i])
    return result


def ranked(rows: list[tuple[tuple[int, ...], str, str]]) -> list[Entry]:
    """``(key, name, score)`` rows → entries, best key first, ties sharing a rank."""
    rows.sort(key=lambda row: row[1].casefold())
    rows.sort(key=lambda row: row[0], reverse=True)  # stable: equal keys stay by name
    ranks = dense_ranks([row[0] for row in rows])
    return [Entry(rank, name, score) for rank, (_, name, score) in zip(ranks, rows, strict=True)]


def week_entries(
    people: Sequence[Clocked], results: dict[int, tuple[Tally, bool, bool]]
) -> list[Entry]:
    rows = []
    for p in people:
        tally, met, paused = results[p.member_id]
        mark = " ✓" if met else (" (paused)" if paused else "")
        rows.append(((tally.outreach,), display_name(p.name), f"{tally.outreach}{mark}"))
    return ranked(rows)


async def entries(session: AsyncSession, group: Group, now: datetime, view: View) -> list[Entry]:
    """The whole board for ``view``, ranked."""
    people, this_week = await board(session, group, now, counts=view is not View.ALL)
    if view is View.WEEK:
        weeks_of = {p.member_id: p.week for p in people}
        return week_entries(people, await week_results(session, group, people, weeks_of, this_week))
    if view is View.STREAK:
        found = await standings.streaks(
            session, people, now, scope=groups.scope(group), this_week=this_week
        )
        rows = []
        for p in people:
            s = found[p.member_id]
            rows.append(
                (
                    (s.current, s.longest),
                    display_name(p.name),
                    f"{weeks(s.current)} (longest {weeks(s.longest)})",
                )
            )
        return ranked(rows)
    counts = await interview_counts(session, groups.scope(group))
    return ranked(
        [
            ((counts.get(p.member_id, 0),), display_name(p.name), str(counts.get(p.member_id, 0)))
            for p in people
        ]
    )


async def interview_counts(session: AsyncSession, scope: goals.Scope) -> dict[int, int]:
    counts: dict[int, int] = {}
    for batch in goals.batches(scope):
        rows = await read(
            session,
            select(Interview.member_id, func.count())
            .where(Interview.member_id.in_(batch))
            .group_by(Interview.member_id),
        )
        counts.update({member_id: count for member_id, count in rows})
    return counts


def weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def render(board: Sequence[Entry], shown: int = SHOWN) -> str:
    """Numbered lines; a tie repeats the rank number."""
    if not board:
        return "Nobody to show yet."
    lines = [f"{e.rank}. {e.name} — {e.score}" for e in board[:shown]]
    if len(board) > shown:
        lines.append(f"…and {len(board) - shown} more")
    return "\n".join(lines)
