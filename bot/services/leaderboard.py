"""Channel leaderboards: counts only, dense ranks, opted-out members left out.

Three views: this week's outreach (✓ when every goal is met), current streaks
(longest as the tie-break) and all-time interviews. Entries carry display
names and numbers — never notes, contact names or companies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Group, Interview
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


async def board_members(session: AsyncSession, group: Group, now: datetime) -> list[Clocked]:
    """Active members who have not switched leaderboards off, each on their own clock."""
    return standings.clock_seats(await groups.roster(session, group), now, group.tz)


async def week_results(
    session: AsyncSession, group: Group, people: Sequence[Clocked], week_of: dict[int, date]
) -> dict[int, tuple[Tally, bool, bool]]:
    """For each member, ``week_of`` their week: (tally, every goal met, paused)."""
    ids = [p.member_id for p in people]
    if not ids:
        return {}
    scope = groups.scope(group)
    first = min(week_of.values())
    counted = await goals.tallies(session, scope, first, max(week_of.values()) + timedelta(days=6))
    plans = await goals.histories(session, scope)
    paused = await goals.paused_weeks(session, scope)
    result = {}
    for i in ids:
        week = week_of[i]
        tally = counted[i].get(week, Tally())
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
    people = await board_members(session, group, now)
    if view is View.WEEK:
        results = await week_results(session, group, people, {p.member_id: p.week for p in people})
        return week_entries(people, results)
    if view is View.STREAK:
        found = await standings.streaks(session, people, now, scope=groups.scope(group))
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
