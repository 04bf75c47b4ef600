"""What a group's channel gets from the outbox: the weekly digest, a member's shared win
or shared plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import peers
from bot.commands.digest import digest_reply
from bot.commands.wins import post_of
from bot.models import Group
from bot.nudges.kinds import Kind
from bot.replies import Reply


async def post_reply(
    session: AsyncSession, group: Group, nudge: Any, now: datetime
) -> Reply | None:
    """The post a group nudge stands for, composed now; None when it no longer applies
    (the win's member is gone, a plan no longer shared)."""
    if nudge.kind == Kind.WIN.value:
        return await post_of(session, nudge.subject_id, group)
    if nudge.kind == Kind.PLAN_SHARED.value:
        return await peers.shared_post(session, nudge.subject_id, nudge.key)
    return await digest_reply(session, group, now, nudge.about_day)
