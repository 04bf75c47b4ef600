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

from sqlalchemy import BindParameter, ColumnElement, Date, Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_start
from bot.models import Group, Interview, Member, Outreach, StreakCache
from bot.services import goals, groups, standings
from bot.services.reads import read
from bot.services.standings import Clocked
from bot.streaks import Goals, Standing, Tally, Week, dense_ranks

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
    """Who shows on a group's boards, each on their own clock, their week's results, and
    their cached streak standings (read in the same query; see ``standings.streaks``)."""

    people: list[Clocked]
    weeks: dict[int, Week]
    cached: dict[int, Standing]


def _board_statement(standings_too: bool) -> Select:
    """Names, zones, the week's counts, goals in effect and pause of each shown member,
    with their cached streak standing when asked; built once, for any group and week."""
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    columns: list[ColumnElement] = [
        select(func.count()).where(owner == Member.id, day.between(first, last)).scalar_subquery()
        for owner, day in (
            (Outreach.member_id, Outreach.sent_on),
            (Interview.member_id, Interview.held_on),
        )
    ]
    columns += goals.in_effect_columns(Member.id, first)
    columns.append(goals.paused_column(Member.id, first))
    statement = select(Member.id, Member.display_name, groups.zone_column(), *columns)
    if standings_too:
        statement = statement.add_columns(
            StreakCache.through_week, StreakCache.run, StreakCache.longest
        ).outerjoin(StreakCache, StreakCache.member_id == Member.id)
    return statement.where(_shown(bindparam("group_id"))).order_by(Member.id)


def _shown(group_id: int | BindParameter[int]) -> ColumnElement[bool]:
    """The group's active members who keep leaderboards on."""
    return and_(Member.id.in_(groups.scope(group_id)), Member.leaderboard_on.is_(True))


_BOARDS = {standings_too: _board_statement(standings_too) for standings_too in (False, True)}


async def board(
    session: AsyncSession,
    group: Group,
    now: datetime,
    week: date | None = None,
    standings_too: bool = False,
) -> Board:
    """Active members with leaderboards on, and how their week went.

    The week is each member's current one, or ``week`` for everyone (the digest's
    last week). One query reads names, zones, counts, goals and pauses for the
    group's week (and, with ``standings_too``, the cached streak standings); the few
    members whose own clock is in another week right now (around Monday midnight)
    are read again for theirs.
    """
    group_week = week or week_start(local_today(now, ZoneInfo(group.tz)))
    rows = await read(
        session,
        _BOARDS[standings_too],
        {"group_id": group.id, "first": group_week, "last": group_week + timedelta(days=6)},
    )
    people, weeks, cached = [], {}, {}
    clock = standings.Clocks(now)
    for member_id, name, tz_name, outreach, interviews, aim, interview_aim, paused, *s in rows:
        person = clock(member_id, name, tz_name or group.tz)
        people.append(person)
        if week is not None or person.week == group_week:
            weeks[member_id] = Week(
                Tally(outreach, interviews), Goals(aim, interview_aim), bool(paused)
            )
        if s and s[0] is not None:
            cached[member_id] = Standing(*s)
    elsewhere = [p for p in people if p.member_id not in weeks]
    weeks.update(await standings.weeks_of(session, elsewhere))
    return Board(people, weeks, cached)


def ranked(rows: list[tuple[tuple[int, ...], str, str]]) -> list[Entry]:
    """``(key, name, score)`` rows → entries, best key first, ties sharing a rank."""
    rows.sort(key=lambda row: row[1].casefold())
    rows.sort(key=lambda row: row[0], reverse=True)  # stable: equal keys stay by name
    ranks = dense_ranks([row[0] for row in rows])
    return [Entry(rank, name, score) for rank, (_, name, score) in zip(ranks, rows, strict=True)]


def week_entries(people: Sequence[Clocked], weeks: Mapping[int, Week]) -> list[Entry]:
    rows = []
    for p in people:
        week = weeks[p.member_id]
        mark = " ✓" if week.met else (" (paused)" if week.paused else "")
        count = week.tally.outreach
        rows.append(((count,), display_name(p.name), f"{count}{mark}"))
    return ranked(rows)


async def entries(session: AsyncSession, group: Group, now: datetime, view: View) -> list[Entry]:
    """The whole board for ``view``, ranked."""
    if view is View.ALL:
        # Names and one count: one query, no clocks or weeks needed.
        held = select(func.count()).where(Interview.member_id == Member.id).scalar_subquery()
        rows = await read(session, select(Member.display_name, held).where(_shown(group.id)))
        return ranked([((count,), display_name(name), str(count)) for name, count in rows])
    people, weeks, cached = await board(session, group, now, standings_too=view is View.STREAK)
    if view is View.WEEK:
        return week_entries(people, weeks)
    found = await standings.streaks(session, people, now, current=weeks, cached=cached)
    rows = []
    for p in people:
        s = found[p.member_id]
        rows.append(
            (
                (s.current, s.longest),
                display_name(p.name),
                f"{weeks_text(s.current)} (longest {weeks_text(s.longest)})",
            )
        )
    return ranked(rows)


def weeks_text(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def render(board: Sequence[Entry], shown: int = SHOWN) -> str:
    """Numbered lines; a tie repeats the rank number."""
    if not board:
        return "Nobody to show yet."
    lines = [f"{e.rank}. {e.name} — {e.score}" for e in board[:shown]]
    if len(board) > shown:
        lines.append(f"…and {len(board) - shown} more")
    return "\n".join(lines)
