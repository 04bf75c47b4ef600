"""Channel leaderboards: counts only, dense ranks, opted-out members left out.

Three views: this week's outreach (✓ when every goal is met), current streaks
(longest as the tie-break) and all-time interviews. Entries carry display
names and numbers — never notes, contact names or companies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Group, Interview, Member
from bot.services import goals, groups, standings
from bot.services.standings import Clocked
from bot.streaks import Tally, dense_ranks

SHOWN = 20


class View(StrEnum):
    WEEK = "week"
    STREAK = "streak"
    ALL = "all"


@dataclass(frozen=True)
class Entry:
    rank: int
    name: str
    score: str


def display_name(member: Member) -> str:
    return member.display_name or "a member"


async def visible_members(session: AsyncSession, group: Group) -> list[Member]:
    """Active members who have not switched leaderboards off."""
    return [m for m in await groups.members_of(session, group) if m.leaderboard_on]


async def week_results(
    session: AsyncSession, people: Sequence[Clocked], week_of: dict[int, date]
) -> dict[int, tuple[Tally, bool, bool]]:
    """For each member, ``week_of`` their week: (tally, every goal met, paused)."""
    ids = [p.member.id for p in people]
    if not ids:
        return {}
    first = min(week_of.values())
    counted = await goals.tallies(session, ids, first, max(week_of.values()) + timedelta(days=6))
    plans = await goals.histories(session, ids)
    paused = await goals.paused_weeks(session, ids)
    result = {}
    for i in ids:
        week = week_of[i]
        tally = counted[i].get(week, Tally())
        result[i] = (tally, tally.meets(plans[i].for_week(week)), week in paused[i])
    return result


def ranked(rows: list[tuple[tuple[int, ...], str, str]]) -> list[Entry]:
    """``(key, name, score)`` rows → entries, best key first, ties sharing a rank."""
    rows.sort(key=lambda row: (tuple(-k for k in row[0]), row[1].casefold()))
    ranks = dense_ranks([row[0] for row in rows])
    return [Entry(rank, name, score) for rank, (_, name, score) in zip(ranks, rows, strict=True)]


def week_entries(
    people: Sequence[Clocked], results: dict[int, tuple[Tally, bool, bool]]
) -> list[Entry]:
    rows = []
    for p in people:
        tally, met, paused = results[p.member.id]
        mark = " ✓" if met else (" (paused)" if paused else "")
        rows.append(((tally.outreach,), display_name(p.member), f"{tally.outreach}{mark}"))
    return ranked(rows)


async def entries(session: AsyncSession, group: Group, now: datetime, view: View) -> list[Entry]:
    """The whole board for ``view``, ranked."""
    people = await standings.clocked(session, await visible_members(session, group), now, group.tz)
    if view is View.WEEK:
        results = await week_results(session, people, {p.member.id: p.week for p in people})
        return week_entries(people, results)
    if view is View.STREAK:
        found = await standings.streaks(session, people, now)
        rows = []
        for p in people:
            s = found[p.member.id]
            rows.append(
                (
                    (s.current, s.longest),
                    display_name(p.member),
                    f"{weeks(s.current)} (longest {weeks(s.longest)})",
                )
            )
        return ranked(rows)
    counts = await interview_counts(session, [p.member.id for p in people])
    return ranked(
        [
            ((counts.get(p.member.id, 0),), display_name(p.member), str(counts.get(p.member.id, 0)))
            for p in people
        ]
    )


async def interview_counts(session: AsyncSession, ids: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for part in goals.chunks(ids):
        rows = await session.execute(
            select(Interview.member_id, func.count())
            .where(Interview.member_id.in_(part))
            .group_by(Interview.member_id)
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
