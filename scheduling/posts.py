"""What a group's channel gets from the outbox: the weekly digest — whose sending starts
the group's partner round, under the digest's claim, so a round is created once — or a
member's shared plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import peers
from bot.commands.digest import digest_reply
from bot.models import Group
from bot.nudges.kinds import Kind
from bot.replies import Reply
from bot.services import rounds
from bot.storage.writer import Writer
from scheduling.claims import Sessions


class Sender(Protocol):
    sessions: Sessions
    writer: Writer
    default_tz: str


async def compose(session: AsyncSession, group: Group, nudge: Any, now: datetime) -> Reply | None:
    """The post ``nudge`` stands for, read in ``session``; None when there is nothing to
    post (a plan no longer shared)."""
    if nudge.kind == Kind.PLAN_SHARED:
        return await peers.shared_post(session, nudge.subject_id)
    return await digest_reply(session, group, now, nudge.about_day)


async def after(outbox: Sender, nudge: Any, now: datetime) -> None:
    """After a digest is composed: its group's partner round starts, in a write of its own
    (a second try finds the round there and does nothing)."""
    if nudge.kind != Kind.DIGEST:
        return
    async with outbox.writer.turn(), outbox.sessions() as writing, writing.begin():
        await rounds.start_at_digest(
            writing, nudge.group_id, nudge.about_day, nudge.due_at, now, outbox.default_tz
        )
