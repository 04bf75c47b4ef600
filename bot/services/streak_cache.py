"""Streaks for many members at once, from a cache that is checked before it is trusted.

Counting a streak from scratch reads a member's whole history; a 2,000-member
leaderboard cannot do that on every request. So each member's standing through
their last completed week is cached (``streak_cache``) and used only while it
is current: every write that could change it — a log dated in a week it covers,
a goal or pause change — drops the row in the same transaction. A stale or
missing row is extended week by week when it is close, or rebuilt from the
logs — and the property tests check the result always equals a recount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_start
from bot.models import Interview, Member, Outreach, StreakCache
from bot.services import goals, pauses, tallies, upsert, zones
from bot.services.reads import ForMembers, read
from bot.services.scope import Scope, batches
from bot.streaks import (
    WEEK,
    Goals,
    Standing,
    Streak,
    Tally,
    Week,
    advance,
    from_scratch,
    recount,
    with_current_week,
)

EXTEND_AT_MOST = 8  # weeks a cached standing may lag and still be extended, not rebuilt
EXTEND_SPAN = WEEK * EXTEND_AT_MOST
SIX_DAYS = timedelta(days=6)  # a week's Monday to its Sunday


class Clocked(NamedTuple):
    """A member with their own clock: time zone and the Monday of their current week."""

    member_id: int
    name: str
    tz: ZoneInfo
    week: date


class Clocks:
    """Puts members on their own clocks at ``now``, working out each zone's week once."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._zones: dict[str, tuple[ZoneInfo, date]] = {}

    def __call__(self, member_id: int, name: str, tz_name: str) -> Clocked:
        known = self._zones.get(tz_name)
        if known is None:
            tz = ZoneInfo(tz_name)
            known = self._zones[tz_name] = (tz, week_start(local_today(self.now, tz)))
        return Clocked(member_id, name, *known)


async def clocked(
    session: AsyncSession, people: Sequence[Member], now: datetime, default_tz: str
) -> list[Clocked]:
    """Each member's current week, in their own time zone."""
    found = await zones.zones_of(session, people, default_tz)
    clock = Clocks(now)
    return [clock(m.id, m.display_name, found[m.id].key) for m in people]


def week_columns(
    member_id: ColumnElement[int], first: ColumnElement[date], last: ColumnElement[date]
) -> list[ColumnElement[Any]]:
    """Per outer member row, the week from ``first`` to ``last`` as a :class:`Week` holds
    it: outreach and interview counts, the goals in effect, and whether it is paused."""
    columns: list[ColumnElement[Any]] = [
        select(func.count()).where(owner == member_id, day.between(first, last)).scalar_subquery()
        for owner, day in (
            (Outreach.member_id, Outreach.sent_on),
            (Interview.member_id, Interview.held_on),
        )
    ]
    columns += goals.in_effect_columns(member_id, first)
    columns.append(pauses.paused_column(member_id, first))
    return columns


_FIRST, _LAST = bindparam("first", type_=Date), bindparam("last", type_=Date)
_OWN_WEEK = (
    select(
        *week_columns(Member.id, _FIRST, _LAST),
        StreakCache.through_week,
        StreakCache.run,
        StreakCache.longest,
    )
    .select_from(Member)
    .outerjoin(StreakCache, StreakCache.member_id == Member.id)
    .where(Member.id == bindparam("member_id"))
)


async def own_week(session: AsyncSession, person: Clocked) -> tuple[Week, Standing | None]:
    """One member's week in progress and cached standing, in one read: what a command
    about their own progress needs (the same as :func:`weeks_of` and :func:`_cached`)."""
    params = {"member_id": person.member_id, "first": person.week, "last": person.week + SIX_DAYS}
    (row,) = await read(session, _OWN_WEEK, params)
    week = Week(Tally(row[0], row[1]), Goals(row[2], row[3]), bool(row[4]))
    return week, Standing(row[5], row[6], row[7]) if row[5] is not None else None


async def weeks_of(session: AsyncSession, people: Sequence[Clocked]) -> dict[int, Week]:
    """Each member's current week: counts, the goals it is judged by, whether it is paused."""
    ids = [p.member_id for p in people]
    if not ids:
        return {}
    last = max(p.week for p in people) + timedelta(days=6)
    found = await tallies.tallies(session, ids, min(p.week for p in people), last)
    plans = await goals.histories(session, ids)
    paused = await pauses.paused_weeks(session, ids)
    return {
        p.member_id: Week(
            found[p.member_id].get(p.week, Tally()),
            plans[p.member_id].for_week(p.week),
            p.week in paused[p.member_id],
        )
        for p in people
    }


async def streaks(
    session: AsyncSession,
    people: Sequence[Clocked],
    now: datetime,
    use_cache: bool = True,
    current: Mapping[int, Week] | None = None,
    cached: Mapping[int, Standing] | None = None,
) -> dict[int, Streak]:
    """Current and longest streak of each member, cached standings refreshed as needed.

    ``current`` (each member's week in progress, see :func:`weeks_of`) and ``cached``
    (their cached standings, e.g. read with a board) may come from the caller. Members
    whose cached standing is up to date need no other read at all; the rest have their
    history read, and only as far as needed.
    """
    ids = [p.member_id for p in people]
    if not ids:
        return {}
    if current is None:
        current = await weeks_of(session, people)
    # Members share a handful of current weeks: each one's last week is worked out once.
    last_weeks = {week: week - WEEK for week in {p.week for p in people}}
    target = {p.member_id: last_weeks[p.week] for p in people}
    if not use_cache:
        cached = {}
    elif cached is None:
        cached = await _cached(session, ids)
    extend = {
        i: s
        for i, s in cached.items()
        if i in target and target[i] - EXTEND_SPAN <= s.through <= target[i]
    }
    moving = [i for i, s in extend.items() if s.through != target[i]]
    scratch = [i for i in ids if i not in extend]
    behind = moving + scratch
    plans = await goals.histories(session, behind) if behind else {}
    paused = await pauses.paused_weeks(session, behind) if behind else {}
    recent = (
        await tallies.tallies(
            session,
            moving,
            min(extend[i].through for i in moving) + WEEK,
            max(target[i] for i in moving) + timedelta(days=6),
        )
        if moving
        else {}
    )
    history = (
        await tallies.tallies(
            session, scratch, None, max(target[i] for i in scratch) + timedelta(days=6)
        )
        if scratch
        else {}
    )
    result: dict[int, Streak] = {}
    fresh: list[tuple[int, Standing]] = []
    for i in ids:
        standing = extend.get(i)
        if standing is None:
            standing = from_scratch(target[i], history[i], plans[i].for_week, paused[i])
        elif standing.through != target[i]:  # weeks completed since it was cached
            standing = advance(standing, target[i], recent[i], plans[i].for_week, paused[i])
        if cached.get(i) != standing:
            fresh.append((i, standing))
        result[i] = with_current_week(standing, current[i])
    if use_cache:
        await _store(session, fresh, now)
    return result


async def recounted(session: AsyncSession, person: Clocked) -> Streak:
    """The streak by its definition from the raw logs alone: the reference for the cache."""
    i = person.member_id
    counted = (await tallies.tallies(session, [i], None, person.week + timedelta(days=6)))[i]
    plan = (await goals.histories(session, [i]))[i]
    paused = (await pauses.paused_weeks(session, [i]))[i]
    return recount(person.week, counted, plan.for_week, paused)


_CACHED = ForMembers(
    lambda members: select(
        StreakCache.member_id, StreakCache.through_week, StreakCache.run, StreakCache.longest
    ).where(StreakCache.member_id.in_(members))
)


async def _cached(session: AsyncSession, members: Scope) -> dict[int, Standing]:
    """Cached standings: current, since every write that could change one drops it."""
    cached: dict[int, Standing] = {}
    for batch in batches(members):
        found = await _CACHED.run(session, batch)
        cached.update({i: Standing(through, run, longest) for i, through, run, longest in found})
    return cached


async def _store(session: AsyncSession, fresh: list[tuple[int, Standing]], now: datetime) -> None:
    if not fresh:
        return
    values = [
        {
            "member_id": i,
            "through_week": s.through,
            "run": s.run,
            "longest": s.longest,
            "computed_at": now,
        }
        for i, s in fresh
    ]
    statement = upsert.insert(session, StreakCache)
    statement = statement.on_conflict_do_update(
        index_elements=[StreakCache.member_id],
        set_={
            "through_week": statement.excluded.through_week,
            "run": statement.excluded.run,
            "longest": statement.excluded.longest,
            "computed_at": statement.excluded.computed_at,
        },
    )
    await session.execute(statement, values)
