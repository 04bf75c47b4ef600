"""Groups (a channel as an accountability group's home) and who belongs to them.

Membership is decided here, not in adapters: using any command in a group's
channel joins it — unless the member left it with /leave, which only /join
undoes. Leaving keeps every record; the member simply stops appearing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import BindParameter, ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import Group, GroupMember, Member, Workspace
from bot.services import goals

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


async def home_of(
    session: AsyncSession, workspace: Workspace, channel_id: str | None
) -> Group | None:
    """The group whose home is this channel, if any."""
    if not channel_id:
        return None
    return await session.scalar(
        select(Group).where(Group.workspace_id == workspace.id, Group.channel_id == channel_id)
    )


async def setup(
    session: AsyncSession,
    workspace: Workspace,
    channel_id: str,
    channel_name: str,
    now: datetime,
    changes: dict[str, object],
) -> tuple[Group, bool]:
    """Create the group homed in ``channel_id`` or update it; True when it is new."""
    group = await home_of(session, workspace, channel_id)
    created = group is None
    if group is None:
        group = Group(
            workspace_id=workspace.id,
            channel_id=channel_id,
            name=channel_name[:200],
            tz="UTC",
            digest_day=0,
            digest_hour=9,
            outreach_goal=5,
            interview_goal=1,
            created_at=now,
        )
        session.add(group)
    for name, value in changes.items():
        setattr(group, name, value)
    await session.flush()
    return group, created


async def membership(session: AsyncSession, group: Group, member: Member) -> GroupMember | None:
    return await session.get(GroupMember, (group.id, member.id))


async def join(
    session: AsyncSession, group: Group, member: Member, now: datetime, week: date
) -> bool:
    """Make ``member`` an active member (from ``week``, their current one, they follow the
    group's default goals unless they set their own); False when they already were one."""
    row = await membership(session, group, member)
    if row is not None and row.active:
        return False
    if row is None:
        session.add(GroupMember(group_id=group.id, member_id=member.id, joined_at=now, active=True))
    else:
        row.active = True
        row.joined_at = now
    await session.flush()
    await goals.follow_group(session, member, group, week, now)
    return True


async def leave(session: AsyncSession, group: Group, member: Member) -> bool:
    """Stop being an active member (records stay); False when they were not one."""
    row = await membership(session, group, member)
    if row is None or not row.active:
        return False
    row.active = False
    return True


async def groups_of(session: AsyncSession, member: Member) -> list[Group]:
    """The member's active groups, the one they joined first first."""
    rows = await session.scalars(
        select(Group)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.member_id == member.id, GroupMember.active.is_(True))
        .order_by(GroupMember.joined_at, Group.id)
    )
    return list(rows)


async def members_of(session: AsyncSession, group: Group) -> list[Member]:
    """Active members of the group, in a stable order."""
    rows = await session.scalars(
        select(Member)
        .join(GroupMember, GroupMember.member_id == Member.id)
        .where(GroupMember.group_id == group.id, GroupMember.active.is_(True))
        .order_by(Member.id)
    )
    return list(rows)


def scope(group: Group | int | BindParameter[int]) -> Select:
    """The ids of the group's active members, for ``IN (…)`` without listing them."""
    group_id = group.id if isinstance(group, Group) else group
    return select(GroupMember.member_id).where(
        GroupMember.group_id == group_id, GroupMember.active.is_(True)
    )


def zone_column() -> ColumnElement[str]:
    """Per member row: their own zone, else their first-joined active group's.

    The home group is looked up only for members without a zone of their own
    (COALESCE stops at the first non-null on SQLite and PostgreSQL alike).
    """
    membership = aliased(GroupMember)
    home = (
        select(Group.tz)
        .join(membership, membership.group_id == Group.id)
        .where(membership.member_id == Member.id, membership.active.is_(True))
        .order_by(membership.joined_at, Group.id)
        .limit(1)
        .correlate(Member)
        .scalar_subquery()
    )
    return func.coalesce(Member.tz, home)


async def home_zones(session: AsyncSession, members: Iterable[Member]) -> dict[int, str]:
    """Each member's first-joined active group's time zone (the fallback for their own)."""
    ids = [m.id for m in members]
    zones: dict[int, str] = {}
    if not ids:
        return zones
    rows = await session.execute(
        select(GroupMember.member_id, Group.tz)
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.member_id.in_(ids), GroupMember.active.is_(True))
        .order_by(GroupMember.joined_at.desc(), Group.id.desc())
    )
    for member_id, tz in rows:
        zones[member_id] = tz  # the earliest joined is written last and wins
    return zones


def digest_when(group: Group) -> str:
    return f"{WEEKDAYS[group.digest_day].capitalize()}s at {group.digest_hour:02d}:00 ({group.tz})"
