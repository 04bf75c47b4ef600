"""Writes that change a cached streak drop it, in their own transaction.

A cached standing (``streak_cache``) is trusted only because every write that
could change it — a log dated in a week it covers, a goal or pause change —
deletes it here; the next reader rebuilds it from the logs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import week_start
from bot.models import StreakCache


async def forget_streak(session: AsyncSession, member_id: int) -> None:
    """Drop a cached streak; the next reader rebuilds it from the logs."""
    await session.execute(delete(StreakCache).where(StreakCache.member_id == member_id))


_COVERING = delete(StreakCache).where(
    StreakCache.member_id == bindparam("member_id"),
    StreakCache.through_week >= bindparam("week"),
)


async def logged_on(session: AsyncSession, member_id: int, day: date) -> None:
    """A log dated ``day`` changes any cached standing that covers that day's week: drop it.

    Only a backdated log can (a cached standing ends with a completed week), but the
    member's current week depends on their zone, which can change; comparing with
    the cached week itself is exact whatever the zone did."""
    await session.execute(_COVERING, {"member_id": member_id, "week": week_start(day)})
