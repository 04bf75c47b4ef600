"""What members logged per week: outreach and interview counts by the dates on their calendar."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from bot.dates import week_start
from bot.models import Interview, Outreach
from bot.services.reads import ForMembers
from bot.services.scope import Scope, batches
from bot.streaks import Tally, bucket


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


async def by_week(
    session: AsyncSession, scope: Scope, weeks: Sequence[date]
) -> dict[int, dict[date, Tally]]:
    """Counts per member for each of ``weeks`` (Mondays), the database counting each week:
    a range of up to a year (the facilitator's page) then costs a query a week rather
    than a row per member and day to bucket here."""
    result: dict[int, dict[date, Tally]] = defaultdict(dict)
    for week in weeks:
        for member_id, counted in (await _one_week(session, scope, week, week_end(week))).items():
            result[member_id].update(counted)
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
