"""Who went quiet: an active group member who has logged nothing for two weeks.

One rule for the facilitator's page (which counts them) and the reminder that gives
each of them one friendly word: a member's quiet spell starts at their last log, or
at the day they first joined a group they are still in when they have logged nothing
since. The spell's start names it, so the word is said once per spell — a new log
starts a new one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import as_utc
from bot.models import GroupMember, LogEntry
from bot.nudges.timing import TIMINGS
from bot.services.reads import ForMembers
from bot.services.scope import Scope, batches

_LAST_LOG = select(func.max(LogEntry.created_at)).where(LogEntry.member_id == GroupMember.member_id)
_SINCE = ForMembers(
    lambda members: (
        select(
            GroupMember.member_id,
            func.min(GroupMember.joined_at),
            _LAST_LOG.scalar_subquery(),
        )
        .where(GroupMember.member_id.in_(members), GroupMember.active.is_(True))
        .group_by(GroupMember.member_id)
    )
)


async def spells(session: AsyncSession, scope: Scope, now: datetime) -> dict[int, datetime]:
    """The members of ``scope`` (active in some group) who are quiet at ``now``, with the
    moment their quiet spell began."""
    found: dict[int, datetime] = {}
    for batch in batches(scope):
        for member_id, joined, last_log in await _SINCE.run(session, batch):
            since = max(as_utc(joined), as_utc(last_log)) if last_log else as_utc(joined)
            if now - since >= TIMINGS.quiet_after:
                found[member_id] = since
    return found
