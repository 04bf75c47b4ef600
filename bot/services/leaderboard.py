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

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_start
from bot.models import Group, Interview, Member, Outreach
from bot.services import goals, groups, standings
from bot.services.reads import read
from bot.services.standings import Clocked
from bot.streaks import Goals, Tally, Week, dense_ranks

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
    """Who shows on a group's boards, each on their own clock, and their week's results."""

    people: list[Clocked]
    weeks: dict[int, Week]


async def board(
    session: AsyncSession,
    group: Group,
    now: datetime,
    week: date | None = None,
    results: bool = True,
) -> Board:
    """Active members with leaderboards on and, with ``results``, how their week went.

    The week is each member's current one, or ``week`` for everyone (the digest's
    last week). One query reads names, zones, counts, goals and pauses for the
    group's week; the few members whose own clock is in another week right now
    (around Monday midnight) are read again for theirs.
    """
    group_week = week or week_start(local_today(now, ZoneInfo(group.tz)))
    columns: list[ColumnElement] = []
    if results:
        days = (group_week, group_week + timedelta(days=6))
        for owner, day in (
            (Outreach.member_id, Outreach.sent_on),
            (Interview.member_id, Interview.held_on),
        ):
            columns.append(
                select(func.count()).where(owner == Member.id, day.between(*days)).scalar_subquery()
            )
        columns += goals.in_effect_columns(Member.id, group_week)
        columns.append(goals.paused_column(Member.id, group_week))
    rows = await read(
        session,
        select(Member.id, Member.display_name, groups.zone_column(), *columns)
        .where(Member.id.in_(groups.scope(group)), Member.leaderboard_on.is_(True))
        .order_by(Member.id),
    )
    people, weeks = [], {}
    clock = standings.Clocks(now)
    for member_id, name, tz_name, *found in rows:
        person = clock(member_id, name, tz_name or group.tz)
        people.append(person)
        if results and (week is not None or person.week == group_week):
            outreach, interviews, outreach_goal, interview_goal, paused = found
            weeks[member_id] = Week(
                Tally(outreach, interviews), Goals(outreach_goal, interview_goal), bool(paused)
            )
    if results:
        elsewhere = [p for p in people if p.member_id not in weeks]
        weeks.update(await standings.weeks_of(session, elsewhere))
    return Board(people, weeks)


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
    people, weeks = await board(session, group, now, results=view is not View.ALL)
    if view is View.WEEK:
        return week_entries(people, weeks)
    if view is View.STREAK:
        found = await standings.streaks(
            session, people, now, scope=groups.scope(group), current=weeks
        )
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
