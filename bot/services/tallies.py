"""What members logged per week: outreach and interview counts by the dates on their calendar."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Date, Integer, bindparam, func, literal, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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


class _WeeksSince(FunctionElement):
    """Whole weeks from ``first`` to ``day`` (both dates): each database's own date
    arithmetic, so a range of weeks is counted in one statement."""

    type = Integer()
    inherit_cache = True


@compiles(_WeeksSince, "sqlite")
def _weeks_sqlite(element: _WeeksSince, compiler: SQLCompiler, **kw: object) -> str:
    day, first = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST((julianday({day}) - julianday({first})) / 7 AS INTEGER)"


@compiles(_WeeksSince, "postgresql")
def _weeks_postgresql(element: _WeeksSince, compiler: SQLCompiler, **kw: object) -> str:
    day, first = (compiler.process(c, **kw) for c in element.clauses)
    return f"(({day} - {first}) / 7)"


# Outreach and interview counts per member and week, weeks numbered from ``first``.
_FIRST = bindparam("first", type_=Date)
_BY_WEEK = ForMembers(
    lambda members: union_all(
        *(
            select(owner, _WeeksSince(day, _FIRST).label("week_index"), literal(kind), func.count())
            .where(owner.in_(members), day >= _FIRST, day <= bindparam("last", type_=Date))
            .group_by(owner, literal_column("week_index"))
            for owner, day, kind in (
                (Outreach.member_id, Outreach.sent_on, 0),
                (Interview.member_id, Interview.held_on, 1),
            )
        )
    )
)


async def by_week(
    session: AsyncSession, scope: Scope, weeks: Sequence[date]
) -> dict[int, dict[date, Tally]]:
    """Counts per member for each of ``weeks`` (consecutive Mondays), the database counting
    per week: a range of up to a year (the facilitator's page) costs one statement, not a
    row per member and day to bucket here."""
    counts: dict[tuple[int, int], list[int]] = {}
    for batch in batches(scope):
        found = await _BY_WEEK.run(session, batch, first=weeks[0], last=week_end(weeks[-1]))
        for member_id, index, kind, count in found:
            pair = counts.get((member_id, index))
            if pair is None:
                pair = counts[(member_id, index)] = [0, 0]
            pair[kind] += count
    result: dict[int, dict[date, Tally]] = defaultdict(dict)
    for (member_id, index), (outreach, interviews) in counts.items():
        result[member_id][weeks[index]] = Tally(outreach, interviews)
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
