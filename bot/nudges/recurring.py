"""Nudges that come round every week rather than after an event: goal check-ins for
members with a weekly goal, the top-target suggestion for members who keep a target list,
plan prompts for members of groups with partner rounds, partners' check-ins halfway
through their round, and each group's digest post; the word for a member who went quiet
(planned by the same daily pass) — and the upkeep every sweep does first (requests
unanswered past 3B7's follow-up day rest; workspaces that removed the app longer ago than
the retention are deleted, ``bot.services.workspaces``).

Recurring nudges are planned once per UTC day (the first process to insert that day's
:class:`PlannedDay` row does it) for the moments falling in a window around that day:
from a day back — so a restart after downtime still plans what it missed — to two
days ahead, which covers every time zone. Keys make re-planning harmless; whether a
check-in is still needed is decided when it is delivered.

A digest is keyed by the week it reports on (the group's last completed week), not
by the moment it is posted, so a week is posted once even when the digest day, hour
or zone changes; a change moves the week's pending post (:func:`plan_digests`), and a
new group's first digest is planned when it is set up, never caught up at midnight.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot import defaults
from bot.clock import as_utc
from bot.dates import week_start
from bot.models import (
    Group,
    GroupMember,
    Member,
    MemberGoal,
    Nudge,
    NudgeStatus,
    PlannedDay,
    Target,
)
from bot.nudges.kinds import Kind
from bot.nudges.plan import nudge_row
from bot.nudges.timing import TIMINGS, at_reminder_hour
from bot.services import groups, outreach, pauses, plans, quiet, rounds, upsert, workspaces, zones
from bot.streaks import WEEK

DAY = timedelta(days=1)
LOOK_BACK = timedelta(days=1)
LOOK_AHEAD = timedelta(days=2)
RETENTION = timedelta(days=defaults.UNINSTALLED_RETENTION_DAYS)
MONDAY = 0  # the first day of a member's week: their plan prompt

Window = tuple[datetime, datetime]


async def plan_day(
    session: AsyncSession, now: datetime, default_tz: str, retention: timedelta = RETENTION
) -> bool:
    """Rest unanswered requests and delete workspaces removed more than ``retention`` ago
    (every sweep); then plan today's recurring nudges unless another sweep already did.
    True if this one planned them."""
    await outreach.rest_unanswered(session, now, default_tz)
    await workspaces.forget_uninstalled(session, now, retention)
    today = now.date()
    claimed = await session.execute(
        upsert.insert(session, PlannedDay)
        .values(day=today, planned_at=now)
        .on_conflict_do_nothing()
    )
    if claimed.rowcount != 1:
        return False
    window = _window(now)
    rows = await _goal_checkins(session, window, now, default_tz)
    rows += await _top_targets(session, window, now, default_tz)
    for group in await session.scalars(select(Group)):
        rows += _digest_rows(group, window, now)
    rows += await _quiet_words(session, window, now, default_tz)
    rows += await _plan_prompts(session, window, now, default_tz)
    rows += await rounds.checkin_rows(session, window, now, default_tz)
    await _insert(session, rows)
    return True


async def plan_checkins_for(
    session: AsyncSession, member: Member, now: datetime, default_tz: str
) -> None:
    """A member who has just gained a weekly goal (joined a group, set their own) gets
    the check-ins still ahead in today's window now — not late, when tomorrow's planning
    looks a day back and finds a moment already past."""
    await session.flush()
    await _insert(session, await _goal_checkins(session, _window(now), now, default_tz, member))


async def plan_digests(session: AsyncSession, group: Group, now: datetime) -> None:
    """After a group is set up or its digest day, hour or zone changes: its digest posts
    not yet on their way are planned again for the new moment of their week (a week
    already posted stays posted)."""
    await session.execute(
        delete(Nudge).where(
            Nudge.group_id == group.id,
            Nudge.kind == Kind.DIGEST.value,
            Nudge.status == NudgeStatus.PENDING.value,
            Nudge.attempts == 0,
        )
    )
    await _insert(session, _digest_rows(group, _window(now), now))


def _window(now: datetime) -> Window:
    start = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    return start - LOOK_BACK, start + LOOK_AHEAD


async def _insert(session: AsyncSession, rows: list[dict]) -> None:
    for chunk in range(0, len(rows), 500):
        await session.execute(
            upsert.insert(session, Nudge).values(rows[chunk : chunk + 500]).on_conflict_do_nothing()
        )


def _moments(tz: ZoneInfo, weekday: int, hour: int, window: Window) -> Iterator:
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
    session: AsyncSession,
    window: Window,
    now: datetime,
    default_tz: str,
    only: Member | None = None,
) -> list[dict]:
    """Check-ins for every member with a weekly goal (or ``only`` that one): a group's, or
    one of their own (in a group or not), from the moment they had it."""
    having = union_all(
        select(GroupMember.member_id, GroupMember.joined_at.label("since")).where(
            GroupMember.active.is_(True)
        ),
        # Their own, or a group's they keep after leaving it ("goals stay yours").
        select(MemberGoal.member_id, MemberGoal.created_at.label("since")),
    ).subquery()
    goals = (
        select(having.c.member_id, func.min(having.c.since).label("since"))
        .group_by(having.c.member_id)
        .subquery()
    )
    query = (
        select(Member, goals.c.since)
        .join(goals, goals.c.member_id == Member.id)
        .where(Member.reminders_on.is_(True))
    )
    if only is not None:
        query = query.where(Member.id == only.id)
    found = (await session.execute(query)).all()
    homes = await zones.home_zones(session, [member for member, _ in found if not member.tz])
    checkins = ((Kind.GOAL_MIDWEEK, TIMINGS.midweek), (Kind.GOAL_LAST_CALL, TIMINGS.last_call))
    rows = []
    for member, since in found:
        tz = zones.member_zone(member.tz, homes.get(member.id), default_tz)
        for kind, weekday in checkins:
            for day, moment in _moments(tz, weekday, member.reminder_hour, window):
                if moment >= as_utc(since):  # nothing for a moment before they had a goal
                    rows.append(
                        nudge_row(
                            member.workspace_id,
                            kind,
                            moment,
                            now,
                            member_id=member.id,
                            key_day=day,
                            about_day=week_start(day),
                        )
                    )
    return rows


async def _top_targets(
    session: AsyncSession, window: Window, now: datetime, default_tz: str
) -> list[dict]:
    """The weekly top-target suggestion, for members who keep a list and did not turn
    it off; whether one is worth sending is decided at delivery."""
    found = list(
        await session.scalars(
            select(Member).where(
                Member.reminders_on.is_(True),
                Member.targets_nudge_on.is_(True),
                exists().where(Target.member_id == Member.id),
            )
        )
    )
    tzs = await zones.zones_of(session, found, default_tz)
    return _weekly(found, tzs, Kind.TOP_TARGET, TIMINGS.top_target, window, now)


async def _plan_prompts(
    session: AsyncSession, window: Window, now: datetime, default_tz: str
) -> list[dict]:
    """ "What's your plan this week?" on each prompted member's Monday at their reminder
    hour, keyed by the week; whether a plan is still wanted is decided at delivery. ("Did
    you keep it?" is planned when a plan is written: ``plans.ask_if_kept``.)"""
    found = list(await session.scalars(plans.prompted()))
    tzs = await zones.zones_of(session, found, default_tz)
    return _weekly(found, tzs, Kind.PLAN_ASK, MONDAY, window, now)


def _weekly(
    found: list[Member],
    tzs: dict[int, ZoneInfo],
    kind: Kind,
    weekday: int,
    window: Window,
    now: datetime,
) -> list[dict]:
    """One ``kind`` nudge per member on ``weekday`` at their reminder hour in their own
    zone, for each such moment in ``window``, keyed (and about) the week it falls in."""
    return [
        nudge_row(
            member.workspace_id,
            kind,
            moment,
            now,
            member_id=member.id,
            key_day=week_start(day),
            about_day=week_start(day),
        )
        for member in found
        for day, moment in _moments(tzs[member.id], weekday, member.reminder_hour, window)
    ]


def _digest_rows(group: Group, window: Window, now: datetime) -> list[dict]:
    """The group's digest posts in ``window``, each keyed by the week it reports on —
    none for a week that ended before the group existed."""
    tz = ZoneInfo(group.tz)
    rows = []
    for day, moment in _moments(tz, group.digest_day, group.digest_hour, window):
        week = week_start(day) - WEEK
        if not groups.reports(group, week):
            continue
        rows.append(
            nudge_row(
                group.workspace_id,
                Kind.DIGEST,
                moment,
                now,
                group_id=group.id,
                subject_id=group.id,
                key_day=week,
                about_day=week,
            )
        )
    return rows


async def _quiet_words(
    session: AsyncSession, window: Window, now: datetime, default_tz: str
) -> list[dict]:
    """One word per quiet spell, for members active in a group with reminders on: at
    their reminder hour on the first day the spell has lasted ``quiet_after`` (or the
    next reminder hour from now, for a spell that began long ago), unless that week is
    paused. Keyed by the day the spell began: once per spell, however often planned."""
    in_groups = select(GroupMember.member_id).where(GroupMember.active.is_(True))
    spells = await quiet.spells(session, in_groups, window[1])
    if not spells:
        return []
    found = list(
        await session.scalars(
            select(Member).where(Member.id.in_(list(spells)), Member.reminders_on.is_(True))
        )
    )
    homes = await zones.home_zones(session, [member for member in found if not member.tz])
    paused = await pauses.paused_weeks(session, [member.id for member in found])
    rows = []
    for member in found:
        tz = zones.member_zone(member.tz, homes.get(member.id), default_tz)
        since = spells[member.id]
        moment = _next_reminder_hour(member, tz, max(since + TIMINGS.quiet_after, now))
        if moment >= window[1] or week_start(moment.astimezone(tz).date()) in paused[member.id]:
            continue
        rows.append(
            nudge_row(
                member.workspace_id,
                Kind.WENT_QUIET,
                moment,
                now,
                member_id=member.id,
                key_day=since.date(),
                about_day=since.date(),
            )
        )
    return rows


def _next_reminder_hour(member: Member, tz: ZoneInfo, earliest: datetime) -> datetime:
    """The member's reminder hour on the first of their days where it is not before
    ``earliest``."""
    day = earliest.astimezone(tz).date()
    moment = at_reminder_hour(day, member, tz)
    return moment if moment >= earliest else at_reminder_hour(day + DAY, member, tz)
