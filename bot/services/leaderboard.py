"""Channel leaderboards: counts only, dense ranks, opted-out members left out.

Three views: this week's outreach (✓ when every goal is met), current streaks
(longest as the tie-break) and all-time interviews. Entries carry display
names and numbers — never notes, contact names or companies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, ColumnElement, Date, Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import pages, wording
from bot.dates import local_today, week_start
from bot.lengths import shown
from bot.models import Group, Interview, Member, StreakCache
from bot.services import groups, streak_cache, zones
from bot.services.reads import read
from bot.services.streak_cache import Clocked
from bot.streaks import Goals, Standing, Streak, Tally, Week, dense_ranks
from bot.wording import member_name

T = TypeVar("T")

SHOWN = 20
# Display names are at most 200 characters; one full of ``&`` or markup is cut here, so a
# board line always fits whole and a name is never cut by whatever follows it.
NAME_BUDGET = 400


class View(StrEnum):
    WEEK = "week"
    STREAK = "streak"
    ALL = "all"


class Entry(NamedTuple):
    rank: int
    name: str
    score: str


def shown_name(name: str) -> str:
    """A member's name as boards and digests show it."""
    return shown(wording.member_name(name), NAME_BUDGET)


class Board(NamedTuple):
    """Who shows on a group's boards, each on their own clock, their week's results, and
    their cached streak standings (read in the same query; see ``streak_cache.streaks``)."""

    people: list[Clocked]
    weeks: dict[int, Week]
    cached: dict[int, Standing]


def _board_statement(standings_too: bool) -> Select:
    """Names, zones, the week's counts, goals in effect and pause of each shown member,
    with their cached streak standing when asked; built once, for any group and week."""
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    columns = streak_cache.week_columns(Member.id, first, last)
    statement = select(Member.id, Member.display_name, zones.zone_column(), *columns)
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
    clock = streak_cache.Clocks(now)
    # A 2,000-member board: rows by position, and each distinct week built once — weeks
    # repeat (small counts, shared goals), and building them was most of this loop.
    built: dict[tuple[Any, ...], Week] = {}
    for row in rows:
        member_id = row[0]
        person = clock(member_id, row[1], row[2] or group.tz)
        people.append(person)
        if week is not None or person.week == group_week:
            facts = row[3:8]
            found = built.get(facts)
            if found is None:
                found = built[facts] = Week(Tally(*facts[:2]), Goals(*facts[2:4]), bool(facts[4]))
            weeks[member_id] = found
        if standings_too and row[8] is not None:
            cached[member_id] = Standing(row[8], row[9], row[10])
    elsewhere = [p for p in people if p.member_id not in weeks]
    weeks.update(await streak_cache.weeks_of(session, elsewhere))
    return Board(people, weeks, cached)


class Ranking(NamedTuple):
    """The best ``SHOWN`` entries of a board, and how many members it ranks in all."""

    top: list[Entry]
    total: int


def ranked(rows: list[tuple[tuple[int, ...], str, T]], score: Callable[[T], str]) -> Ranking:
    """``(key, name, detail)`` rows → the best entries, best key first, ties sharing a
    rank. Only the entries shown get their ``score(detail)`` text: a 2,000-member board
    shows twenty."""
    rows.sort(key=lambda row: row[1].casefold())
    rows.sort(key=lambda row: row[0], reverse=True)  # stable: equal keys stay by name
    top = rows[:SHOWN]
    ranks = dense_ranks([row[0] for row in top])
    entries = [
        Entry(rank, shown_name(name), score(detail))
        for rank, (_, name, detail) in zip(ranks, top, strict=True)
    ]
    return Ranking(entries, len(rows))


def week_entries(people: Sequence[Clocked], weeks: Mapping[int, Week]) -> Ranking:
    rows = []
    for p in people:
        week = weeks[p.member_id]
        rows.append(((week.tally.outreach,), member_name(p.name), week))
    return ranked(rows, _week_score)


def _week_score(week: Week) -> str:
    mark = " ✓" if week.met else (" (paused)" if week.paused else "")
    return f"{week.tally.outreach}{mark}"


def _streak_score(streak: Streak) -> str:
    return wording.streak(streak)


async def entries(session: AsyncSession, group: Group, now: datetime, view: View) -> Ranking:
    """The board for ``view``, ranked."""
    if view is View.ALL:
        # Names and one count: one query, no clocks or weeks needed.
        held = select(func.count()).where(Interview.member_id == Member.id).scalar_subquery()
        rows = await read(session, select(Member.display_name, held).where(_shown(group.id)))
        return ranked([((count,), member_name(name), count) for name, count in rows], str)
    people, weeks, cached = await board(session, group, now, standings_too=view is View.STREAK)
    if view is View.WEEK:
        return week_entries(people, weeks)
    found = await streak_cache.streaks(session, people, now, current=weeks, cached=cached)
    rows = []
    for p in people:
        streak = found[p.member_id]
        rows.append(((streak.current, streak.longest), member_name(p.name), streak))
    return ranked(rows, _streak_score)


def render(board: Ranking, budget: int = pages.TEXT_BUDGET) -> str:
    """Numbered lines, as many as ``budget`` holds; a tie repeats the rank number."""
    if not board.total:
        return "Nobody to show yet."
    lines = [f"{e.rank}. {e.name} — {e.score}" for e in board.top]
    return pages.fit(lines, budget, beyond=board.total - len(board.top)).text


def names(board: Ranking) -> tuple[str, ...]:
    """The display names a rendered board may show, for rendering them as plain text."""
    return tuple(e.name for e in board.top)
