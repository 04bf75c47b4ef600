"""The figures of a group's facilitator page: aggregates by week, the leaderboard's own
figures per member, and a member's history only with their consent.

Counts only — never notes, contact names, companies, roles or plans' texts. Group totals
cover every active member (those off the leaderboard too: a facilitator sees the whole
cohort's effort, not who made it); the per-member rows are the leaderboard's (members
with ``leaderboard=off`` are left out), and a member's week-by-week history and thank-you
timeliness appear only while they keep ``/settings coach=on``.

A week is a Monday on the group's clock, as in the digest; each member's logs fall in it
by the dates on their own calendar. A member counts towards a week's goals from the week
they joined, unless that week is paused.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, and_, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines
from bot.clock import as_utc
from bot.dates import local_today, week_start
from bot.models import Group, GroupMember, Interview, Member, Outreach, OutreachStatus
from bot.services import goals, groups, leaderboard, pauses, quiet, streak_cache, tallies
from bot.services.reads import read
from bot.streaks import WEEK, Goals, Streak, Tally, Week

RANGES = (4, 8, 12, 26, 52)  # the week ranges the page offers
DEFAULT_WEEKS = 8
NOTHING = Tally()


class WeekRow(NamedTuple):
    """The group's totals for one week."""

    week: date
    outreach: int
    interviews: int
    met: int  # members, not paused, who met every goal
    counted: int  # members in the group that week, not paused
    thanked_on_time: int  # of the interviews held that week whose note is settled…
    thanks_settled: int  # …(sent, or its week passed): how many were sent on time
    referrals: int


class Funnel(NamedTuple):
    """The range's outreach, how much of it got a call scheduled (or held), the
    interviews held and the referrals collected in them."""

    outreach: int
    scheduled: int
    held: int
    referrals: int


class BoardRow(NamedTuple):
    """A member's row as the leaderboard shows it: this week's counts and streak."""

    name: str
    outreach: int
    interviews: int
    met: bool
    paused: bool
    streak: Streak


class History(NamedTuple):
    """A consenting member's weeks (``None``: not yet in the group) and thank-you timing."""

    name: str
    weeks: list[Week | None]
    thanked_on_time: int
    thanks_settled: int


class Report(NamedTuple):
    group: str
    weeks: list[WeekRow]  # oldest first, the last completed week last
    active: int
    paused: int  # this week
    quiet: int
    funnel: Funnel
    board: list[BoardRow]  # by name
    histories: list[History]  # by name


def week_range(group: Group, now: datetime, count: int) -> list[date]:
    """The ``count`` completed weeks before the group's current one, oldest first."""
    last = week_start(local_today(now, ZoneInfo(group.tz))) - WEEK
    return [last - WEEK * n for n in range(count - 1, -1, -1)]


_FIRST, _LAST = bindparam("first", type_=Date), bindparam("last", type_=Date)
_TODAY = bindparam("today", type_=Date)
_MEMBERS = (
    select(Member.id, Member.display_name, Member.coach_on, GroupMember.joined_at)
    .join(GroupMember, GroupMember.member_id == Member.id)
    .where(GroupMember.group_id == bindparam("group_id"), GroupMember.active.is_(True))
)
_HELD = select(
    Interview.member_id,
    Interview.held_on,
    Interview.referral_count,
    case((deadlines.on_time_sql(), 1), else_=0),
    case((deadlines.settled_sql(_TODAY), 1), else_=0),
).where(
    Interview.member_id.in_(groups.scope(bindparam("group_id"))),
    Interview.held_on.between(_FIRST, _LAST),
)
_SENT = select(
    func.count(),
    func.count().filter(
        Outreach.status.in_([OutreachStatus.SCHEDULED.value, OutreachStatus.INTERVIEWED.value])
    ),
).where(Outreach.sent_on.between(_FIRST, _LAST))


def _counted_from(since: dict[int, date], first: date) -> ColumnElement[bool]:
    """Outreach that counts for the group: its members' from the week each joined (a
    member's months in another group are that group's)."""
    late = {i: week for i, week in since.items() if week > first}
    return or_(
        Outreach.member_id.in_([i for i in since if i not in late]),
        *(and_(Outreach.member_id == i, Outreach.sent_on >= week) for i, week in late.items()),
    )


async def report(session: AsyncSession, group: Group, now: datetime, count: int) -> Report:
    """Everything the page shows for the ``count`` weeks before this one."""
    tz = ZoneInfo(group.tz)
    weeks = week_range(group, now, count)
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    params = {"group_id": group.id, "first": first, "last": last, "today": local_today(now, tz)}
    people = await read(session, _MEMBERS, params)
    ids = [row[0] for row in people]
    since = {row[0]: week_start(as_utc(row[3]).astimezone(tz).date()) for row in people}
    scope = groups.scope(group)
    counted = await tallies.by_week(session, scope, weeks)
    plans = await goals.histories(session, scope)
    paused = await pauses.paused_weeks(session, scope)
    # Weeks repeat (small counts, shared goals): each distinct one is built once.
    built: dict[tuple[Tally, Goals, bool], Week] = {}

    def week_of(i: int, w: date) -> Week:
        facts = (counted[i].get(w, NOTHING), plans[i].for_week(w), w in paused[i])
        found = built.get(facts)
        if found is None:
            found = built[facts] = Week(*facts)
        return found

    member_weeks: dict[int, list[Week | None]] = {
        i: [week_of(i, w) if w >= since[i] else None for w in weeks] for i in ids
    }
    held = await read(session, _HELD, params)
    by_week: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])  # on time, settled, refs
    by_member: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for member_id, held_on, referrals, on_time, settled in held:
        if member_id not in since or week_start(held_on) < since[member_id]:
            continue  # before they joined (or no longer in the group): not this group's
        totals = by_week[week_start(held_on)]
        totals[0] += on_time
        totals[1] += settled
        totals[2] += referrals
        by_member[member_id][0] += on_time
        by_member[member_id][1] += settled
    rows = []
    for n, w in enumerate(weeks):
        present = [member_weeks[i][n] for i in ids if member_weeks[i][n] is not None]
        active = [wk for wk in present if not wk.paused]
        on_time, settled, referrals = by_week[w]
        rows.append(
            WeekRow(
                w,
                sum(wk.tally.outreach for wk in present),
                sum(wk.tally.interviews for wk in present),
                sum(1 for wk in active if wk.met),
                len(active),
                on_time,
                settled,
                referrals,
            )
        )
    ((sent, scheduled),) = await read(session, _SENT.where(_counted_from(since, first)), params)
    funnel = Funnel(
        sent, scheduled, sum(r.interviews for r in rows), sum(r.referrals for r in rows)
    )
    this_week = week_start(local_today(now, tz))
    histories = [
        History(leaderboard.shown_name(name), member_weeks[i], *by_member[i])
        for i, name, coach_on, _ in people
        if coach_on
    ]
    return Report(
        group=groups.channel(group),
        weeks=rows,
        active=len(ids),
        paused=sum(1 for i in ids if this_week in paused[i]),
        quiet=len(await quiet.spells(session, scope, now)),
        funnel=funnel,
        board=await _board(session, group, now),
        histories=sorted(histories, key=lambda h: h.name.casefold()),
    )


async def _board(session: AsyncSession, group: Group, now: datetime) -> list[BoardRow]:
    """The leaderboard's members and figures: this week's counts and the streak."""
    people, weeks, cached = await leaderboard.board(session, group, now, standings_too=True)
    found = await streak_cache.streaks(session, people, now, current=weeks, cached=cached)
    rows = [
        BoardRow(
            leaderboard.shown_name(p.name),
            weeks[p.member_id].tally.outreach,
            weeks[p.member_id].tally.interviews,
            weeks[p.member_id].met,
            weeks[p.member_id].paused,
            found[p.member_id],
        )
        for p in people
    ]
    return sorted(rows, key=lambda r: r.name.casefold())
