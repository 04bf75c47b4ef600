"""Who is asking, and where: the workspace, member, channel's group and clock of a command.

Every command needs all of them before it can do anything, so for someone seen
before they come from one read (one statement, built once): each extra statement
costs a round trip to the database thread, and this runs on every command. A
first contact takes the slower path that creates the workspace and member.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.dates import local_today, week_start
from bot.errors import UserError
from bot.invocation import Invocation
from bot.models import Group, GroupMember, Member, Workspace
from bot.services import groups, members, personal, zones

NOT_A_MEMBER = (
    "That button belongs to a server where you haven't used peerpath, so it can't act "
    "there. Use a peerpath command in that server first."
)


class Identity(NamedTuple):
    workspace: Workspace
    member: Member
    group: Group | None
    tz: ZoneInfo
    joined: bool = False  # this command's channel made them a member of its group


# The personal workspace and member of the same person, for a server row not yet joined
# to it (``personal.join_member``).
_HOME = aliased(Workspace)
_HOME_MEMBER = aliased(Member)

# Workspace, member, the channel's group, whether the member ever joined it, the
# member's own zone or else their first group's, and the personal member a server row is
# still to be joined to. A channel id of NULL matches no group.
KNOWN = (
    select(Workspace, Member, Group, GroupMember.member_id, zones.zone_column(), _HOME_MEMBER)
    .join(
        Member,
        and_(Member.workspace_id == Workspace.id, Member.user_id == bindparam("user_id")),
    )
    .outerjoin(
        Group,
        and_(Group.workspace_id == Workspace.id, Group.channel_id == bindparam("channel_id")),
    )
    .outerjoin(
        GroupMember,
        and_(GroupMember.group_id == Group.id, GroupMember.member_id == Member.id),
    )
    .outerjoin(
        _HOME,
        and_(
            Workspace.personal.is_(False),
            Member.home_id.is_(None),
            _HOME.platform == Workspace.platform,
            _HOME.external_id == bindparam("user_id"),
            _HOME.personal.is_(True),
        ),
    )
    .outerjoin(
        _HOME_MEMBER,
        and_(_HOME_MEMBER.workspace_id == _HOME.id, _HOME_MEMBER.user_id == Member.user_id),
    )
    .where(
        Workspace.platform == bindparam("platform"),
        Workspace.external_id == bindparam("workspace_id"),
    )
)


async def identify(
    session: AsyncSession, invocation: Invocation, now: datetime, default_tz: str
) -> Identity:
    """Find (or create) who is asking; using a group's channel joins it (see ``groups``).

    A command through the member's own install (``Invocation.personal``) runs in their
    personal workspace; in a server, someone with a personal workspace acts as its member
    (``bot/services/personal.py``)."""
    if invocation.personal:
        invocation = replace(
            invocation, workspace_id=personal.workspace_key(invocation.user_id), channel_id=None
        )
    row = (
        await session.execute(
            KNOWN,
            {
                "platform": invocation.platform,
                "workspace_id": invocation.workspace_id,
                "user_id": invocation.user_id,
                "channel_id": invocation.channel_id or None,
            },
        )
    ).first()
    if row is not None:
        workspace, member, group, joined, zone, home = row
        if home is not None:  # made before its person's personal install: join it now
            member = await personal.join_member(session, member, home)
        if member.home_id is not None:  # a server row joined to a personal workspace
            member = await personal.acting(session, member)
            joined = group is not None and bool(await groups.membership(session, group, member))
            zone = member.tz or (await zones.home_zones(session, [member])).get(member.id)
        members.rename(member, invocation.user_name)
    elif invocation.members_only:  # a workspace the request named itself: never joined here
        raise UserError(NOT_A_MEMBER)
    elif invocation.personal:
        workspace = await personal.workspace_for(session, invocation, now)
        member = await personal.member_for(session, workspace, invocation, now)
        group, joined, zone = None, False, member.tz
        zone = zone or (await zones.home_zones(session, [member])).get(member.id)
    else:
        workspace = await members.workspace_for(session, invocation, now)
        member = await personal.join_server(
            session, workspace, invocation, now
        ) or await members.member_for(session, workspace, invocation, now)
        group = await groups.home_of(session, workspace, invocation.channel_id)
        joined = group is not None and await groups.membership(session, group, member) is not None
        zone = member.tz or (await zones.home_zones(session, [member])).get(member.id)
    # A first command in a group's channel joins it, making it their first group.
    tz = zones.member_zone(zone, group.tz if group else None, default_tz)
    if group is not None and not joined:
        await groups.join(session, group, member, now, week_start(local_today(now, tz)))
        return Identity(workspace, member, group, tz, joined=True)
    return Identity(workspace, member, group, tz)
