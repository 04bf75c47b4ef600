"""Members' weekly plans: written in their own words for one of their weeks, kept or not,
and counted — for /mystats, the digest and the Monday and Friday prompts."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Group, GroupMember, Kept, Member, Nudge, Plan
from bot.nudges.kinds import Kind
from bot.nudges.plan import nudge_row
from bot.nudges.timing import TIMINGS, at_reminder_hour
from bot.services import groups, pauses, upsert
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
            shared_text=text if share else None,
            created_at=now,
            updated_at=now,
        )
        session.add(plan)
    else:
        plan.text, plan.updated_at = text, now
        plan.shared = plan.shared or share
        if share:
            plan.shared_text = text
    await session.flush()
    return plan


VERSION = ":v"  # a shared post's key ends with the version of the words it posts


def version(text: str) -> str:
    """A short checksum of a plan's words: one channel post per version."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def posts_version(key: str, text: str) -> bool:
    """Whether a shared-plan post keyed ``key`` is for the plan's words as they are now;
    an earlier version's post still waiting gives way to the newer one's."""
    _, found, posted = key.rpartition(VERSION)
    return not found or posted == version(text)


async def share(session: AsyncSession, plan: Plan, groups: list[Group], now: datetime) -> bool:
    """Post the plan in each group's channel, once per version of its words and group
    (a rewritten plan shared again is posted again, as it reads now). False when this
    version was posted already everywhere."""
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
            extra_key=f"{VERSION}{version(plan.shared_text or plan.text)}",
        )
        for group in groups
    ]
    if not rows:
        return False
    made = await session.execute(
        upsert.insert(session, Nudge).values(rows).on_conflict_do_nothing()
    )
    return bool(made.rowcount)


async def ask_if_kept(
    session: AsyncSession, member: Member, plan: Plan, tz: ZoneInfo, now: datetime
) -> bool:
    """Plan "Did you keep your plan?" for the member's last-call day of the plan's week at
    their reminder hour, unless their plan prompts are off or that moment has passed (once
    per week, however often the plan is rewritten), or the plan's week is paused. Whether
    the question will come."""
    moment = at_reminder_hour(plan.week + timedelta(days=TIMINGS.last_call), member, tz)
    if not member.plans_on or moment <= now:
        return False
    if plan.week in (await pauses.paused_weeks(session, [member.id]))[member.id]:
        return False  # a paused week is never asked about
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
    return True


def answer(plan: Plan, kept: Kept) -> None:
    plan.kept = kept.value


async def kept_lately(session: AsyncSession, member: Member, week: date) -> tuple[int, int]:
    """(kept, answered) over the ``HISTORY_WEEKS`` weeks ending with ``week``. Only plans
    the member said something about count: a plan nobody asked about, or not answered
    yet, is neither kept nor broken."""
    found = await session.execute(
        select(func.count(), func.count().filter(Plan.kept == Kept.KEPT.value)).where(
            Plan.member_id == member.id,
            Plan.week > week - WEEK * HISTORY_WEEKS,
            Plan.week <= week,
            Plan.kept.is_not(None),
        )
    )
    answered, kept = found.one()
    return kept, answered


class WeekCounts(NamedTuple):
    """The digest's plans of a week: made, answered (kept, partly or not) and kept."""

    made: int
    answered: int
    kept: int


async def week_counts(session: AsyncSession, group: Group, week: date) -> WeekCounts:
    """Plans of ``week`` among the group's members on its board: counts only, and nobody
    who keeps their numbers off the group's posts."""
    shown = select(Member.id).where(
        Member.id.in_(groups.scope(group)), Member.leaderboard_on.is_(True)
    )
    found = await session.execute(
        select(
            func.count(),
            func.count().filter(Plan.kept.is_not(None)),
            func.count().filter(Plan.kept == Kept.KEPT.value),
        ).where(Plan.member_id.in_(shown), Plan.week == week)
    )
    return WeekCounts(*found.one())


def in_rounds() -> Select:
    """Ids of members active in a group whose partner rounds are on — read when the
    Monday prompt is planned and again when it is composed, so a group that turned rounds
    off since hears nothing."""
    rounds_on = (
        select(GroupMember.member_id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.active.is_(True), Group.partners != "off")
    )
    return select(Member.id).where(Member.id.in_(rounds_on))


def prompted() -> Select:
    """Members who get the Monday plan prompt: reminders and plans on, active in a group
    whose partner rounds are on (a group without them hears nothing new). Anyone who
    writes a plan is asked on Friday whether they kept it (:func:`ask_if_kept`)."""
    return select(Member).where(
        Member.reminders_on.is_(True), Member.plans_on.is_(True), Member.id.in_(in_rounds())
    )
