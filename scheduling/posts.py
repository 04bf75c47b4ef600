"""What follows a group's post in the outbox: a digest's sending starts the group's
partner round, under the digest's claim, so a round is created once (what the post says
is ``bot/commands/posts.py``'s)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from bot.nudges.kinds import Kind
from bot.services import rounds
from bot.storage.writer import Writer
from scheduling.claims import Sessions


class Sender(Protocol):
    sessions: Sessions
    writer: Writer
    default_tz: str


async def after(outbox: Sender, nudge: Any, now: datetime) -> None:
    """After a digest is composed: its group's partner round starts, in a write of its own
    (a second try finds the round there and does nothing)."""
    if nudge.kind != Kind.DIGEST:
        return
    async with outbox.writer.turn(), outbox.sessions() as writing, writing.begin():
        await rounds.start_at_digest(
            writing, nudge.group_id, nudge.about_day, nudge.due_at, now, outbox.default_tz
        )
