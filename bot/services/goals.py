"""Weekly goals (kept as history), vacation pauses, and what members logged per week.

Goal rows are only ever written for the current week, so a change applies
from this week on and earlier weeks keep being judged by the goals they had.
A member without goals of their own follows their group's defaults: joining a
group, or an admin changing them, writes a non-personal row for this week.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.models import Group, Interview, Member, MemberGoal, Outreach, Pause, StreakCache
from bot.streaks import WEEK, GoalHistory, Goals, Tally, bucket

MAX_CONSECUTIVE_PAUSES = 2
MAX_PAUSES_PER_WINDOW = 4
PAUSE_WINDOW_WEEKS = 12
CHUNK = 1000  # ids per IN (…) list: far below SQLite's and PostgreSQL's bind limits


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


async def histories(session: AsyncSession, member_ids: Sequence[int]) -> dict[int, GoalHistory]:
    changes: dict[int, list[tuple[date, Goals]]] = {i: [] for i in member_ids}
    for part in chunks(member_ids):
        rows = await session.execute(
            select(
                MemberGoal.member_id,
                MemberGoal.week_start,
                MemberGoal.outreach,
                MemberGoal.interviews,
            ).where(MemberGoal.member_id.in_(part))
        )
        for member_id, week, outreach, interviews in rows:
            changes[member_id].append((week, Goals(outreach, interviews)))
    return {i: GoalHistory(c) for i, c in changes.items()}


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


async def paused_weeks(session: AsyncSession, member_ids: Sequence[int]) -> dict[int, set[date]]:
    result: dict[int, set[date]] = {i: set() for i in member_ids}
    for part in chunks(member_ids):
        rows = await session.execute(
            select(Pause.member_id, Pause.week_start).where(Pause.member_id.in_(part))
        )
        for member_id, week in rows:
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


async def tallies(
    session: AsyncSession, member_ids: Sequence[int], first: date | None, last: date
) -> dict[int, dict[date, Tally]]:
    """Weekly outreach and interview counts per member, by the dates on their own calendar.

    ``first``/``last`` bound the days read (``first=None``: all history).
    """
    rows: list[tuple[int, date, int, int]] = []
    for part in chunks(member_ids):
        for column, owner, is_outreach in (
            (Outreach.sent_on, Outreach.member_id, True),
            (Interview.held_on, Interview.member_id, False),
        ):
            query = select(owner, column, func.count()).where(owner.in_(part), column <= last)
            if first is not None:
                query = query.where(column >= first)
            for member_id, day, count in await session.execute(query.group_by(owner, column)):
                rows.append(
                    (member_id, day, count, 0) if is_outreach else (member_id, day, 0, count)
                )
    found = bucket(rows)
    return {i: found.get(i, {}) for i in member_ids}


def week_end(week: date) -> date:
    return week + timedelta(days=6)
