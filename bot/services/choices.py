"""Questions asked instead of guesses, kept until answered (or a day has passed).

A command that cannot tell what the member meant (two contacts called Bob, a date that
reads two ways) stores what they typed and the answers it offers; a press of one answer
runs the command again with it filled in. Stored per member, used once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Member, PendingChoice

KEPT_FOR = timedelta(days=1)


class Asked(NamedTuple):
    """A stored question: the command, what was typed, and what each answer sets."""

    command: str
    typed: dict[str, Any]
    answers: list[dict[str, Any]]


async def store(
    session: AsyncSession,
    member: Member,
    command: str,
    typed: Mapping[str, Any],
    answers: Sequence[Mapping[str, Any]],
    now: datetime,
) -> int:
    """Keep a question; returns its id for the answer buttons. Old ones are cleared here."""
    await session.execute(
        delete(PendingChoice).where(
            PendingChoice.member_id == member.id, PendingChoice.created_at < now - KEPT_FOR
        )
    )
    row = PendingChoice(
        workspace_id=member.workspace_id,
        member_id=member.id,
        command=command,
        typed=json.dumps(dict(typed)),
        answers=json.dumps([dict(a) for a in answers]),
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


class Found(NamedTuple):
    asked: Asked | None  # None: gone (answered already, expired) or someone else's
    someone_elses: bool


async def take(session: AsyncSession, member: Member, choice_id: int, now: datetime) -> Found:
    """The member's question ``choice_id``, removed (an answer is used once)."""
    row = await session.scalar(
        select(PendingChoice).where(
            PendingChoice.id == choice_id, PendingChoice.workspace_id == member.workspace_id
        )
    )
    if row is None or row.created_at < now - KEPT_FOR:
        return Found(None, False)
    if row.member_id != member.id:
        return Found(None, True)
    await session.delete(row)
    return Found(Asked(row.command, json.loads(row.typed), json.loads(row.answers)), False)
