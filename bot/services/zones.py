"""A member's clock: their own time zone, else their first group's, else the deployment's.

This rule decides which week a log counts for, when a reminder hour falls and which day
a deadline ends on, so it has one home: the Python form (:func:`member_zone`), the SQL
form for bulk reads (:func:`zone_column`), and the words ``/settings`` uses to say which
zone is in force and why (:func:`in_force`) all live here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import Group, GroupMember, Member
from bot.services import groups


class Zoned(Protocol):
    """A member as a mapped row or a plain one: its id and its own zone, if any."""

    @property
    def id(self) -> int: ...

    @property
    def tz(self) -> str | None: ...


def member_zone(own: str | None, first_group: str | None, default: str) -> ZoneInfo:
    """The rule: the member's own zone, else their first-joined active group's, else the
    deployment's default (``PEERPATH_DEFAULT_TZ``)."""
    return ZoneInfo(own or first_group or default)


def zone_column(default: str | None = None) -> ColumnElement[str]:
    """:func:`member_zone` per member row, in SQL (``default`` last, when given).

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
    if default is None:
        return func.coalesce(Member.tz, home)
    return func.coalesce(Member.tz, home, literal(default))


async def first_groups(session: AsyncSession, members: Iterable[Zoned]) -> dict[int, Group]:
    """Each member's first-joined active group (whose zone they follow without one of their
    own), for the members given; those in no group are left out."""
    ids = [m.id for m in members]
    found: dict[int, Group] = {}
    if not ids:
        return found
    rows = await session.execute(
        select(GroupMember.member_id, Group)
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.member_id.in_(ids), GroupMember.active.is_(True))
        .order_by(GroupMember.joined_at.desc(), Group.id.desc())
    )
    for member_id, group in rows:
        found[member_id] = group  # the earliest joined is written last and wins
    return found


async def home_zones(session: AsyncSession, members: Iterable[Zoned]) -> dict[int, str]:
    """Each member's first-joined active group's time zone (the fallback for their own)."""
    groups = await first_groups(session, members)
    return {member_id: group.tz for member_id, group in groups.items()}


async def zones_of(
    session: AsyncSession, members: Iterable[Zoned], default: str
) -> dict[int, ZoneInfo]:
    """:func:`member_zone` for each member; their groups are read only for those without a
    zone of their own."""
    members = list(members)
    homes = await home_zones(session, [m for m in members if not m.tz])
    return {m.id: member_zone(m.tz, homes.get(m.id), default) for m in members}


@dataclass(frozen=True)
class InForce:
    """The zone a member's reminders and weeks follow, and where it comes from."""

    zone: str
    source: str  # "your own", "from #cohort", "the server default"

    def __str__(self) -> str:
        return f"{self.zone}, {self.source}"


async def in_force(session: AsyncSession, member: Member, default: str) -> InForce:
    """What ``/settings`` shows: the zone :func:`member_zone` picks, with its reason."""
    if member.tz:
        return InForce(member.tz, "your own")
    group = (await first_groups(session, [member])).get(member.id)
    if group is not None:
        return InForce(group.tz, f"from {groups.channel(group)}")
    return InForce(default, "the server default")
