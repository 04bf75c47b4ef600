"""Weekly goals (kept as history), vacation pauses, and what members logged per week.

Goal rows are only ever written for the current week, so a change applies
from this week on and earlier weeks keep being judged by the goals they had.
A member without goals of their own follows their group's defaults: joining a
group, or an admin changing them, writes a non-personal row for this week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from bot.dates import week_start
from bot.errors import UserError
from bot.models import Group, Interview, Member, MemberGoal, Outreach, Pause, StreakCache
from bot.services.reads import ForMembers
from bot.streaks import DEFAULT_GOALS, WEEK, GoalHistory, Goals, Tally, bucket

MAX_CONSECUTIVE_PAUSES = 2
MAX_PAUSES_PER_WINDOW = 4
PAUSE_WINDOW_WEEKS = 12
CHUNK = 1000  # ids per IN (…) list: far below SQLite's and PostgreSQL's bind limits


Scope = Sequence[int] | Select
"""Whose rows to read: a list of member ids, or a SELECT of them (a whole group)."""


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def batches(scope: Scope) -> Iterator[Select | list[int]]:
    """What to put in ``member_id IN (…)`` to cover ``scope``: the subquery, or id chunks."""
    if isinstance(scope, Select):
        yield scope
    else:
        yield from chunks(scope)


_HISTORIES = ForMembers(
    lambda members: (
        select(
            MemberGoal.member_id, MemberGoal.week_start, MemberGoal.outreach, MemberGoal.interviews
        )
        .where(MemberGoal.member_id.in_(members))
        .order_by(MemberGoal.member_id, MemberGoal.week_start)
    )
)


async def histories(session: AsyncSession, scope: Scope) -> dict[int, GoalHistory]:
    """Goal history per member (members without any get the defaults)."""
    changes: dict[int, list[tuple[date, Goals]]] = defaultdict(list)
    for batch in batches(scope):
        for member_id, week, outreach, interviews in await _HISTORIES.run(session, batch):
            changes[member_id].append((week, Goals(outreach, interviews)))
    result: dict[int, GoalHistory] = defaultdict(lambda: GoalHistory(()))
    result.update({i: GoalHistory(c, ordered=True) for i, c in changes.items()})
    return result


def in_effect_columns(
    member_id: ColumnElement[int], week: date | ColumnElement[date]
) -> list[ColumnElement[int]]:
    """SQL for the goals (outreach, interviews) in effect for ``week``, per outer member row.

    The same rule as :meth:`GoalHistory.for_week` — the latest change on or before
    the week, else the first change, else the defaults — so a board can read this
    week's goals in its own query; a property test checks the two agree.
    """

    def pick(column: ColumnElement[int], default: int) -> ColumnElement[int]:
        mine = MemberGoal.member_id == member_id
        latest = (
            select(column)
            .where(mine, MemberGoal.week_start <= week)
            .order_by(MemberGoal.week_start.desc())
            .limit(1)
            .scalar_subquery()
        )
        first = select(column).where(mine).order_by(MemberGoal.week_start).limit(1)
        return func.coalesce(latest, first.scalar_subquery(), default)

    return [
        pick(MemberGoal.outreach, DEFAULT_GOALS.outreach),
        pick(MemberGoal.interviews, DEFAULT_GOALS.interviews),
    ]


def paused_column(
    member_id: ColumnElement[int], week: date | ColumnElement[date]
) -> ColumnElement[bool]:
    """SQL for "is ``week`` paused", per outer member row."""
    return exists().where(Pause.member_id == member_id, Pause.week_start == week)


async def latest(session: AsyncSession, member: Member) -> MemberGoal | None:
    return await session.scalar(
        select(MemberGoal)
        .where(MemberGoal.member_id == member.id)
        .order_by(MemberGoal.week_start.desc())
        .limit(1)
    )


async def goals_for(session: AsyncSession, member: Member, week: date) -> Goals:
    return (await histories(session, [member.id]))[member.id].for_week(week)


async def set_goals(
    session: AsyncSession, member: Member, week: date, goals: Goals, personal: bool, now: datetime
) -> None:
    """Goals from ``week`` (the member's current week) on."""
    row = await session.get(MemberGoal, (member.id, week))
    if row is None:
        session.add(
            MemberGoal(
                member_id=member.id,
                week_start=week,
                outreach=goals.outreach,
                interviews=goals.interviews,
                personal=personal,
                created_at=now,
            )
        )
    else:
        row.outreach, row.interviews, row.personal = goals.outreach, goals.interviews, personal
        row.created_at = now
    await forget_streak(session, member.id)
    await session.flush()


async def follow_group(
    session: AsyncSession, member: Member, group: Group, week: date, now: datetime
) -> None:
    """Adopt the group's default goals unless the member set their own."""
    current = await latest(session, member)
    if current is not None and current.personal:
        return
    wanted = Goals(group.outreach_goal, group.interview_goal)
    if current is None or Goals(current.outreach, current.interviews) != wanted:
        await set_goals(session, member, week, wanted, personal=False, now=now)


_PAUSES = ForMembers(
    lambda members: select(Pause.member_id, Pause.week_start).where(Pause.member_id.in_(members))
)


async def paused_weeks(session: AsyncSession, scope: Scope) -> dict[int, set[date]]:
    result: dict[int, set[date]] = defaultdict(set)
    for batch in batches(scope):
        for member_id, week in await _PAUSES.run(session, batch):
            result[member_id].add(week)
    return result


def pause_refusal(existing: set[date], wanted: Iterable[date]) -> str | None:
    """Why pausing ``wanted`` on top of ``existing`` breaks the cap, or None when it fits."""
    weeks = sorted(existing | set(wanted))
    run = 1
    for previous, week in zip(weeks, weeks[1:], strict=False):
        run = run + 1 if week - previous == WEEK else 1
        if run > MAX_CONSECUTIVE_PAUSES:
            return (
                f"A pause can cover at most {MAX_CONSECUTIVE_PAUSES} weeks in a row, and this "
                f"would make {run}. Pauses keep a streak safe during a real break; a longer "
                "absence is better restarted fresh."
            )
    for week in weeks:
        window = [w for w in weeks if week <= w < week + WEEK * PAUSE_WINDOW_WEEKS]
        if len(window) > MAX_PAUSES_PER_WINDOW:
            return (
                f"At most {MAX_PAUSES_PER_WINDOW} paused weeks fit in any "
                f"{PAUSE_WINDOW_WEEKS} weeks, and this would make {len(window)} "
                f"(from the week of {week.isoformat()}). That keeps streaks meaning consistency."
            )
    return None


async def pause(session: AsyncSession, member: Member, weeks: list[date], now: datetime) -> None:
    """Pause ``weeks`` (Mondays), or explain the cap and pause nothing."""
    existing = (await paused_weeks(session, [member.id]))[member.id]
    refusal = pause_refusal(existing, weeks)
    if refusal is not None:
        raise UserError(refusal, "/pause weeks=1")
    for week in weeks:
        if week not in existing:
            session.add(Pause(member_id=member.id, week_start=week, created_at=now))
    await forget_streak(session, member.id)
    await session.flush()


async def unpause(session: AsyncSession, member: Member, from_week: date) -> int:
    """Cancel pauses from ``from_week`` on (past pauses stay: they shaped the streak)."""
    result = await session.execute(
        delete(Pause).where(Pause.member_id == member.id, Pause.week_start >= from_week)
    )
    await forget_streak(session, member.id)
    return result.rowcount


async def forget_streak(session: AsyncSession, member_id: int) -> None:
    """Drop a cached streak; the next reader rebuilds it from the logs."""
    await session.execute(delete(StreakCache).where(StreakCache.member_id == member_id))


_COVERING = delete(StreakCache).where(
    StreakCache.member_id == bindparam("member_id"),
    StreakCache.through_week >= bindparam("week"),
)


async def logged_on(session: AsyncSession, member_id: int, day: date) -> None:
    """A log dated ``day`` changes any cached standing that covers that day's week: drop it.

    Only a backdated log can (a cached standing ends with a completed week), but the
    member's current week depends on their zone, which can change; comparing with
    the cached week itself is exact whatever the zone did."""
    await session.execute(_COVERING, {"member_id": member_id, "week": week_start(day)})


def _daily(since: bool) -> ForMembers:
    """Outreach and interviews per member and day up to ``last`` (and from ``first``)."""

    def build(members: object) -> Executable:
        parts = []
        for owner, day, kind in (
            (Outreach.member_id, Outreach.sent_on, 0),
            (Interview.member_id, Interview.held_on, 1),
        ):
            where = [owner.in_(members), day <= bindparam("last")]
            if since:
                where.append(day >= bindparam("first"))
            parts.append(
                select(owner, day, literal(kind), func.count()).where(*where).group_by(owner, day)
            )
        return union_all(*parts)

    return ForMembers(build)


_DAILY = {True: _daily(True), False: _daily(False)}

# One week's outreach and interview counts per member (the database counts, not per day).
_WEEKLY = ForMembers(
    lambda members: union_all(
        *(
            select(owner, literal(kind), func.count())
            .where(owner.in_(members), day >= bindparam("first"), day <= bindparam("last"))
            .group_by(owner)
            for owner, day, kind in (
                (Outreach.member_id, Outreach.sent_on, 0),
                (Interview.member_id, Interview.held_on, 1),
            )
        )
    )
)


async def tallies(
    session: AsyncSession, scope: Scope, first: date | None, last: date
) -> dict[int, dict[date, Tally]]:
    """Weekly outreach and interview counts per member, by the dates on their own calendar.

    ``first``/``last`` bound the days read (``first=None``: all history). When they
    fall in one week (a board's usual case) the database counts per member, not per day.
    """
    if first is not None and week_start(first) == week_start(last):
        return await _one_week(session, scope, first, last)
    rows: list[tuple[int, date, int, int]] = []
    daily = _DAILY[first is not None]
    for batch in batches(scope):
        found = await daily.run(session, batch, first=first, last=last)
        for member_id, day, kind, count in found:
            rows.append((member_id, day, count, 0) if kind == 0 else (member_id, day, 0, count))
    result: dict[int, dict[date, Tally]] = defaultdict(dict)
    result.update(bucket(rows))
    return result


async def _one_week(
    session: AsyncSession, scope: Scope, first: date, last: date
) -> dict[int, dict[date, Tally]]:
    week = week_start(first)
    counts: dict[int, list[int]] = {}
    for batch in batches(scope):
        for member_id, kind, count in await _WEEKLY.run(session, batch, first=first, last=last):
            pair = counts.get(member_id)
            if pair is None:
                pair = counts[member_id] = [0, 0]
            pair[kind] += count
    result: dict[int, dict[date, Tally]] = defaultdict(dict)
    for member_id, (outreach, interviews) in counts.items():
        result[member_id] = {week: Tally(outreach, interviews)}
    return result


def week_end(week: date) -> date:
    return week + timedelta(days=6)
