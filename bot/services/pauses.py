"""Vacation pauses: a paused week neither breaks nor extends a streak, within a cap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Member, Pause
from bot.services.reads import ForMembers
from bot.services.scope import Scope, batches
from bot.services.stale_streaks import forget_streak
from bot.streaks import WEEK

MAX_CONSECUTIVE_PAUSES = 2
MAX_PAUSES_PER_WINDOW = 4
PAUSE_WINDOW_WEEKS = 12


def paused_column(
    member_id: ColumnElement[int], week: date | ColumnElement[date]
) -> ColumnElement[bool]:
    """SQL for "is ``week`` paused", per outer member row."""
    return exists().where(Pause.member_id == member_id, Pause.week_start == week)


_PAUSES = ForMembers(
    lambda members: select(Pause.member_id, Pause.week_start).where(Pause.member_id.in_(members))
)


async def paused_weeks(session: AsyncSession, scope: Scope) -> dict[int, set[date]]:
    result: dict[int, set[date]] = defaultdict(set)
    for batch in batches(scope):
        for member_id, week in await _PAUSES.run(session, batch):
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


async def pause(
    session: AsyncSession, member: Member, weeks: list[date], now: datetime
) -> str | None:
    """Pause ``weeks`` (Mondays); or pause nothing and return why the cap forbids it."""
    existing = (await paused_weeks(session, [member.id]))[member.id]
    refusal = pause_refusal(existing, weeks)
    if refusal is not None:
        return refusal
    for week in weeks:
        if week not in existing:
            session.add(Pause(member_id=member.id, week_start=week, created_at=now))
    await forget_streak(session, member.id)
    await session.flush()
    return None


async def unpause(session: AsyncSession, member: Member, from_week: date) -> int:
    """Cancel pauses from ``from_week`` on (past pauses stay: they shaped the streak)."""
    result = await session.execute(
        delete(Pause).where(Pause.member_id == member.id, Pause.week_start >= from_week)
    )
    await forget_streak(session, member.id)
    return result.rowcount
