"""Where a member stands with each of their groups' partner rounds, for /partners: their
place in a running round, or why they sit it out — the same rules that choose who takes
part when a round starts (:func:`bot.services.rounds.candidates`)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_start
from bot.models import Cadence, Group, Member, PartnerMatch, PartnerRound
from bot.services import pauses


class Standing(NamedTuple):
    """A group's round as one member sees it: the round running now (None: none), and
    when the member is not in it, why."""

    group: Group
    running: PartnerRound | None
    left_out: str | None
    ever: bool  # the group has had a round (so "off" is not "not yet")


async def standing(
    session: AsyncSession, group: Group, member: Member, now: datetime, tz: ZoneInfo
) -> Standing:
    running = await session.scalar(
        select(PartnerRound).where(
            PartnerRound.group_id == group.id,
            PartnerRound.started_at <= now,
            PartnerRound.ends_at > now,
        )
    )
    ever = running is not None or (
        await session.scalar(select(PartnerRound.id).where(PartnerRound.group_id == group.id))
        is not None
    )
    if running is None:
        return Standing(group, None, None, ever)
    match = await session.scalar(
        select(PartnerMatch).where(
            PartnerMatch.round_id == running.id, PartnerMatch.member_id == member.id
        )
    )
    if match is not None and match.left_at is None:
        return Standing(group, running, None, ever)
    return Standing(group, running, await _why(session, running, member, match, tz), ever)


async def _why(
    session: AsyncSession,
    running: PartnerRound,
    member: Member,
    match: PartnerMatch | None,
    tz: ZoneInfo,
) -> str:
    if match is not None:
        return "you left the group during it"
    if not member.partners_on:
        return "you were not opted in when it started"
    if not member.reminders_on:
        return "your DM reminders are off (/settings reminders=on takes you into the next one)"
    week = week_start(local_today(running.started_at, tz))
    if week in (await pauses.paused_weeks(session, [member.id]))[member.id]:
        return "your week is paused"
    return "you were not opted in (or not in the group) when it started"


def rounds_on(group: Group) -> bool:
    return group.partners != Cadence.OFF.value
