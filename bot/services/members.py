"""Workspaces and members: found or created on first contact, always scoped together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import defaults
from bot.invocation import Invocation
from bot.models import Member, Receipt, Workspace
from bot.services import practice, upsert


async def find_workspace(session: AsyncSession, invocation: Invocation) -> Workspace | None:
    return await session.scalar(
        select(Workspace).where(
            Workspace.platform == invocation.platform,
            Workspace.external_id == invocation.workspace_id,
        )
    )


async def workspace_for(session: AsyncSession, invocation: Invocation, now: datetime) -> Workspace:
    workspace = await find_workspace(session, invocation)
    if workspace is None:
        workspace = Workspace(
            platform=invocation.platform,
            external_id=invocation.workspace_id,
            name=invocation.workspace_name[:200],
            created_at=now,
        )
        session.add(workspace)
        await session.flush()
    return workspace


async def find_member(session: AsyncSession, workspace: Workspace, user_id: str) -> Member | None:
    return await session.scalar(
        select(Member).where(Member.workspace_id == workspace.id, Member.user_id == user_id)
    )


async def member_for(
    session: AsyncSession, workspace: Workspace, invocation: Invocation, now: datetime
) -> Member:
    member = await find_member(session, workspace, invocation.user_id)
    name = invocation.user_name[:200]
    if member is None:
        member = Member(
            workspace_id=workspace.id,
            user_id=invocation.user_id,
            display_name=name,
            tz=None,
            reminder_hour=defaults.REMINDER_HOUR,
            quiet_start=defaults.QUIET_START,
            quiet_end=defaults.QUIET_END,
            reminders_on=True,
            leaderboard_on=True,
            created_at=now,
        )
        session.add(member)
        await session.flush()
    else:
        rename(member, name)
    return member


def rename(member: Member, name: str) -> None:
    """Keep the display name the platform last gave (it is what boards would show)."""
    name = name[:200]
    if name and member.display_name != name:
        member.display_name = name


async def is_first(session: AsyncSession, workspace: Workspace, member: Member) -> bool:
    """Whether ``member`` was the workspace's first (the console's stand-in for an owner)."""
    first = await session.scalar(
        select(Member.id).where(Member.workspace_id == workspace.id).order_by(Member.id).limit(1)
    )
    return first == member.id


async def claim_receipt(
    session: AsyncSession, workspace: Workspace, key: str, now: datetime
) -> bool:
    """Record a platform request id; False when it was handled before (a retry)."""
    result = await session.execute(
        upsert.insert(session, Receipt)
        .values(workspace_id=workspace.id, key=key[:128], created_at=now)
        .on_conflict_do_nothing()
    )
    return result.rowcount == 1


async def forget(session: AsyncSession, member: Member, now: datetime) -> None:
    """Delete the member and, by cascade, every contact, outreach and interview of theirs —
    and the server rows joined to them (``bot/services/personal.py``) — first taking their
    practice requests off the list, so a partner waits again. A personal workspace left
    with no member goes too: it holds the person's user id and name."""
    await practice.withdraw(session, member, now)
    await session.execute(delete(Member).where(Member.home_id == member.id))
    await session.execute(
        delete(Member).where(Member.id == member.id, Member.workspace_id == member.workspace_id)
    )
    await session.execute(
        delete(Workspace).where(
            Workspace.id == member.workspace_id,
            Workspace.personal.is_(True),
            ~exists().where(Member.workspace_id == Workspace.id),
        )
    )
