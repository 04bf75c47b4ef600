"""A workspace that removed the app: its data kept for a while, then deleted.

When a platform says the app was uninstalled (Slack's ``app_uninstalled``), the
workspace is marked, not deleted: members who re-install within
``PEERPATH_UNINSTALLED_RETENTION_DAYS`` find their logs, streaks and groups as they left
them. Reminders due meanwhile are not sent (``bot.nudges.decide``). Once the days have
passed, the sweep deletes the workspace and, by cascade, everything in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Workspace


async def uninstalled(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> bool:
    """Mark the workspace as having removed the app (the first time counts); False when
    peerpath never served it or it was already marked."""
    result = await session.execute(
        update(Workspace)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == external_id,
            Workspace.uninstalled_at.is_(None),
        )
        .values(uninstalled_at=now)
    )
    return result.rowcount > 0


async def installed(session: AsyncSession, platform: str, external_id: str) -> bool:
    """The app is (again) installed there: whatever was kept is its own again. True when
    it had been marked removed."""
    result = await session.execute(
        update(Workspace)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == external_id,
            Workspace.uninstalled_at.is_not(None),
        )
        .values(uninstalled_at=None)
    )
    return result.rowcount > 0


async def forget_uninstalled(session: AsyncSession, now: datetime, retention: timedelta) -> int:
    """Delete every workspace that removed the app more than ``retention`` ago, with all
    its members' data (foreign keys cascade); how many were deleted."""
    result = await session.execute(
        delete(Workspace).where(Workspace.uninstalled_at <= now - retention)
    )
    return result.rowcount
