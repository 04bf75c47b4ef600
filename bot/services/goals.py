"""Weekly goals, kept as history.

Goal rows are only ever written for the current week, so a change applies
from this week on and earlier weeks keep being judged by the goals they had.
A member without goals of their own follows their group's defaults: joining a
group, or an admin changing them, writes a non-personal row for this week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Group, Member, MemberGoal
from bot.services.reads import ForMembers
from bot.services.scope import Scope, batches
from bot.services.stale_streaks import forget_streak
from bot.streaks import DEFAULT_GOALS, GoalHistory, Goals

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
