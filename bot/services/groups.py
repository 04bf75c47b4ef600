"""Groups (a channel as an accountability group's home) and who belongs to them.

Membership is decided here, not in adapters: using any command in a group's
channel joins it — unless the member left it with /leave, which only /join
undoes. Leaving keeps every record; the member simply stops appearing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import defaults
from bot.clock import as_utc
from bot.dates import WEEKDAYS
from bot.models import Group, GroupMember, Member, Workspace
from bot.services import goals


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
    default_tz: str,
) -> tuple[Group, bool]:
    """Create the group homed in ``channel_id`` or update it; True when it is new (its zone
    then the deployment's default unless ``changes`` name one)."""
    group = await home_of(session, workspace, channel_id)
    created = group is None
    if group is None:
        group = Group(
            workspace_id=workspace.id,
            channel_id=channel_id,
            name=channel_name[:200],
            tz=default_tz,
            digest_day=defaults.DIGEST_DAY,
            digest_hour=defaults.DIGEST_HOUR,
            outreach_goal=defaults.WEEKLY_OUTREACH,
            interview_goal=defaults.WEEKLY_INTERVIEWS,
            created_at=now,
        )
        session.add(group)
    for name, value in changes.items():
        setattr(group, name, value)
    await session.flush()
    return group, created


async def membership(session: AsyncSession, group: Group, member: Member) -> GroupMember | None:
    return await session.get(GroupMember, (group.id, member.id))


async def is_active(session: AsyncSession, group: Group, member: Member) -> bool:
    """Whether ``member`` is in ``group`` now (not never joined, not left)."""
    row = await membership(session, group, member)
    return row is not None and row.active


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


def reports(group: Group, week: date) -> bool:
    """Whether a digest may report ``week`` (a Monday on the group's clock): never a week
    that ended before the group existed — the scheduled post and /digest alike."""
    ended = datetime.combine(week + timedelta(days=7), time(), tzinfo=ZoneInfo(group.tz))
    return ended > as_utc(group.created_at)


def channel(group: Group) -> str:
    """How replies name a group's home: ``#cohort``."""
    return f"#{group.name or group.channel_id}"


def digest_when(group: Group) -> str:
    return f"{WEEKDAYS[group.digest_day].capitalize()}s at {group.digest_hour:02d}:00 ({group.tz})"
