"""Members' weekly plans: written in their own words for one of their weeks, kept or not,
and counted — for /mystats, the digest and the Monday and Friday prompts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Group, GroupMember, Kept, Member, Nudge, Plan
from bot.nudges.kinds import Kind
from bot.nudges.plan import nudge_row
from bot.nudges.timing import TIMINGS, at_reminder_hour
from bot.services import groups, upsert
from bot.streaks import WEEK

HISTORY_WEEKS = 8  # what /mystats counts
MAX_LENGTH = 500  # a plan is a sentence or two


async def for_week(session: AsyncSession, member: Member, week: date) -> Plan | None:
    return await session.scalar(select(Plan).where(Plan.member_id == member.id, Plan.week == week))


async def write(
    session: AsyncSession, member: Member, week: date, text: str, share: bool, now: datetime
) -> Plan:
    """The member's plan for ``week``, written or rewritten (shared stays shared)."""
    plan = await for_week(session, member, week)
    if plan is None:
        plan = Plan(
            workspace_id=member.workspace_id,
            member_id=member.id,
            week=week,
            text=text,
            shared=share,
            created_at=now,
            updated_at=now,
        )
        session.add(plan)
    else:
        plan.text, plan.updated_at = text, now
        plan.shared = plan.shared or share
    await session.flush()
    return plan


async def share(session: AsyncSession, plan: Plan, groups: list[Group], now: datetime) -> None:
    """Post the plan in each group's channel, once per plan and group."""
    rows = [
        nudge_row(
            group.workspace_id,
            Kind.PLAN_SHARED,
            now,
            now,
            group_id=group.id,
            subject_id=plan.id,
            key_day=plan.week,
            about_day=plan.week,
        )
        for group in groups
    ]
    if rows:
        await session.execute(upsert.insert(session, Nudge).values(rows).on_conflict_do_nothing())


async def ask_if_kept(
    session: AsyncSession, member: Member, plan: Plan, tz: ZoneInfo, now: datetime
) -> None:
    """Plan "Did you keep your plan?" for the member's last-call day of the plan's week at
    their reminder hour, unless that moment has passed (once per week, however often the
    plan is rewritten)."""
    moment = at_reminder_hour(plan.week + timedelta(days=TIMINGS.last_call), member, tz)
    if moment <= now:
        return
    row = nudge_row(
        member.workspace_id,
        Kind.PLAN_KEPT,
        moment,
        now,
        member_id=member.id,
        key_day=plan.week,
        about_day=plan.week,
    )
    await session.execute(upsert.insert(session, Nudge).values(row).on_conflict_do_nothing())


def answer(plan: Plan, kept: Kept) -> None:
    plan.kept = kept.value


async def kept_lately(session: AsyncSession, member: Member, week: date) -> tuple[int, int]:
    """(kept, made) over the ``HISTORY_WEEKS`` weeks ending with ``week``."""
    found = await session.execute(
        select(func.count(), func.count().filter(Plan.kept == Kept.KEPT.value)).where(
            Plan.member_id == member.id,
            Plan.week > week - WEEK * HISTORY_WEEKS,
            Plan.week <= week,
        )
    )
    made, kept = found.one()
    return kept, made


async def week_counts(session: AsyncSession, group: Group, week: date) -> tuple[int, int]:
    """(made, kept) for ``week`` among the group's members on its board: counts only,
    and nobody who keeps their numbers off the group's posts."""
    shown = select(Member.id).where(
        Member.id.in_(groups.scope(group)), Member.leaderboard_on.is_(True)
    )
    found = await session.execute(
        select(func.count(), func.count().filter(Plan.kept == Kept.KEPT.value)).where(
            Plan.member_id.in_(shown), Plan.week == week
        )
    )
    made, kept = found.one()
    return made, kept


def prompted() -> Select:
    """Members who get the Monday plan prompt: reminders and plans on, active in a group
    whose partner rounds are on (a group without them hears nothing new). Anyone who
    writes a plan is asked on Friday whether they kept it (:func:`ask_if_kept`)."""
    in_rounds = (
        select(GroupMember.member_id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.active.is_(True), Group.partners != "off")
    )
    return select(Member).where(
        Member.reminders_on.is_(True), Member.plans_on.is_(True), Member.id.in_(in_rounds)
    )
