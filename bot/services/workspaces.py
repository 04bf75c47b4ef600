"""A workspace that removed the app: its data kept for a while, then deleted.

When a platform says the app was uninstalled (Slack's ``app_uninstalled``), the
workspace is marked, not deleted: members who re-install within
``PEERPATH_UNINSTALLED_RETENTION_DAYS`` find their logs, streaks and groups as they left
them. Reminders due meanwhile are not sent (``bot.nudges.decide``). Once the days have
passed, the sweep deletes the workspace and, by cascade, everything in it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import logs
from bot.models import Workspace
from bot.replies import Reply

log = logging.getLogger("peerpath")


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


async def installed(session: AsyncSession, platform: str, external_id: str) -> str | None:
    """The app is (again) installed there: whatever was kept is its own again. ``"again"``
    when it had been marked removed, ``"first"`` when peerpath never served it, None when
    it was installed already (a re-authorization)."""
    result = await session.execute(
        update(Workspace)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == external_id,
            Workspace.uninstalled_at.is_not(None),
        )
        .values(uninstalled_at=None)
    )
    if result.rowcount > 0:
        return "again"
    known = await session.scalar(
        select(Workspace.id).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )
    return None if known is not None else "first"


async def forget_uninstalled(
    session: AsyncSession, now: datetime, retention: timedelta
) -> list[tuple[str, str]]:
    """Delete every workspace that removed the app more than ``retention`` ago, with all
    its members' data (foreign keys cascade); each one's ``(platform, id)``, logged (the
    id only: never a name)."""
    gone = list(
        (
            await session.execute(
                delete(Workspace)
                .where(Workspace.uninstalled_at <= now - retention)
                .returning(Workspace.platform, Workspace.external_id)
            )
        ).tuples()
    )
    for platform, external_id in gone:
        with logs.bound(workspace=external_id):
            log.info(
                "%s workspace %s deleted with all its data: it removed the app more than %d "
                "days ago",
                platform,
                external_id,
                retention.days,
            )
    return gone


def not_installed(install_url: str | None) -> Reply:
    """What a member hears when their workspace removed peerpath (its data is kept for a
    while, so adding it again finds everything)."""
    again = (
        f"A workspace admin can add it again at {install_url} — everything logged is kept "
        "for a while."
        if install_url
        else "A workspace admin can add it again from the page it was first added from — "
        "everything logged is kept for a while."
    )
    return Reply(
        text=f"peerpath is no longer installed in this workspace, so nothing was done. {again}",
        title="peerpath is not installed here",
        is_error=True,
    )
