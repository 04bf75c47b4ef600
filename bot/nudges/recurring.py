"""Nudges that come round every week rather than after an event: goal check-ins for
members of groups, and each group's digest post.

They are planned once per UTC day (the first process to insert that day's
:class:`PlannedDay` row does it) for the moments falling in a window around
that day: from a day back — so a restart after downtime still plans what it
missed — to two days ahead, which covers every time zone. Keys make re-planning
harmless; whether a check-in is still needed is decided when it is delivered.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import as_utc
from bot.dates import week_start
from bot.models import Group, GroupMember, Member, Nudge, NudgeStatus, PlannedDay
from bot.nudges.plan import Kind, nudge_key
from bot.nudges.timing import TIMINGS
from bot.services import upsert, zones

LOOK_BACK = timedelta(days=1)
LOOK_AHEAD = timedelta(days=2)


async def plan_day(session: AsyncSession, now: datetime, default_tz: str) -> bool:
    """Plan today's recurring nudges unless another sweep already did; True if it did."""
    today = now.date()
    claimed = await session.execute(
        upsert.insert(session, PlannedDay)
        .values(day=today, planned_at=now)
        .on_conflict_do_nothing()
    )
    if claimed.rowcount != 1:
        return False
    start = datetime.combine(today, time(), tzinfo=now.tzinfo)
    window = (start - LOOK_BACK, start + LOOK_AHEAD)
    rows = await _goal_checkins(session, window, now, default_tz)
    rows += await _digests(session, window, now)
    for chunk in range(0, len(rows), 500):
        await session.execute(
            upsert.insert(session, Nudge).values(rows[chunk : chunk + 500]).on_conflict_do_nothing()
        )
    return True


def _moments(tz: ZoneInfo, weekday: int, hour: int, window: tuple[datetime, datetime]):
    """Each ``weekday`` at ``hour`` (local) whose UTC moment falls in ``window``."""
    first = window[0].astimezone(tz).date() - timedelta(days=1)
    for offset in range(5):
        day = first + timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        moment = datetime.combine(day, time(hour), tzinfo=tz).astimezone(window[0].tzinfo)
        if window[0] <= moment < window[1]:
            yield day, moment


async def _goal_checkins(
    session: AsyncSession, window: tuple[datetime, datetime], now: datetime, default_tz: str
) -> list[dict]:
    joined = (
        select(GroupMember.member_id, func.min(GroupMember.joined_at).label("since"))
        .where(GroupMember.active.is_(True))
        .group_by(GroupMember.member_id)
        .subquery()
    )
    found = (
        await session.execute(
            select(Member, joined.c.since)
            .join(joined, joined.c.member_id == Member.id)
            .where(Member.reminders_on.is_(True))
        )
    ).all()
    homes = await zones.home_zones(session, [member for member, _ in found if not member.tz])
    rows = []
    for member, since in found:
        tz = zones.member_zone(member.tz, homes.get(member.id), default_tz)
        checkins = ((Kind.GOAL_MIDWEEK, TIMINGS.midweek), (Kind.GOAL_LAST_CALL, TIMINGS.last_call))
        for kind, weekday in checkins:
            for day, moment in _moments(tz, weekday, member.reminder_hour, window):
                if moment >= as_utc(since):  # nothing for a moment before they joined
                    rows.append(_row(member.workspace_id, member.id, None, kind, day, moment, now))
    return rows


async def _digests(
    session: AsyncSession, window: tuple[datetime, datetime], now: datetime
) -> list[dict]:
    rows = []
    for group in await session.scalars(select(Group)):
        tz = ZoneInfo(group.tz)
        for day, moment in _moments(tz, group.digest_day, group.digest_hour, window):
            if moment < group.created_at:
                continue  # no digest for a week before the group existed
            rows.append(_row(group.workspace_id, None, group.id, Kind.DIGEST, day, moment, now))
    return rows


def _row(
    workspace_id: int,
    member_id: int | None,
    group_id: int | None,
    kind: Kind,
    day: date,
    moment: datetime,
    now: datetime,
) -> dict:
    owner = f"m{member_id}" if member_id is not None else f"g{group_id}"
    week = week_start(day)
    return {
        "workspace_id": workspace_id,
        "member_id": member_id,
        "group_id": group_id,
        "kind": kind.value,
        "subject_id": group_id or 0,
        "about_day": week,
        "key": nudge_key(owner, kind, 0, day),
        "due_at": moment,
        "next_at": moment,
        "status": NudgeStatus.PENDING.value,
        "attempts": 0,
        "created_at": now,
    }
