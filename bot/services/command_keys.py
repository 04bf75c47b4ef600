"""The same command from the same member within a short window is stored once.

A double-clicked submit, a Slack retry that reached another replica under a new
trigger, a Discord re-delivery: each arrives as a second, identical command. On
SQLite the second waited for the first (one writer) and then found its rows; on
PostgreSQL both ran at once and both were stored. So a unit of work that stores
something — rows added beyond the bookkeeping below, or a member's records changed or
deleted — claims its key in the same
transaction before it commits: the member, the command, the channel it was typed in
(a member of two groups asking in each, or setting up a second channel, is not
repeating themselves), and its arguments as the core read them (so
``date=yesterday`` and the same day's ISO date agree, as do ``Jane Doe`` and
``jane  doe``). Only the member's latest stored command is
kept (one row per member), so a concurrent second claim waits for the first
transaction and then finds its key; a claim older than :data:`WINDOW`, or a
different command stored in between, makes the same words new again (``/thanked
Jane`` after logging a second interview with her is not a repeat). A command
that stores nothing (a report, a refusal) claims nothing, so asking twice is
always answered twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, event, not_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from bot.models import CommandKey, Member
from bot.services import upsert

WINDOW = timedelta(seconds=60)
# Rows that record how peerpath works rather than what a member did: writing them is not
# "storing" a command (a report refreshes its cache, every request leaves a receipt).
# A question asked instead of a guess stores only the question: asking again asks again.
BOOKKEEPING = frozenset(
    {
        "receipts",
        "command_keys",
        "streak_cache",
        "planned_days",
        "nudges",
        "inbox",
        "pending_choices",
        "deployment_secrets",
        "pending_imports",  # a preview waiting for its Import button
    }
)
# A member's records: changing or deleting one is storing too (/thanked, /undo, /history
# edit, /practice cancel, /leave), so the same words straight after an /undo or a
# cancel are a new command, not a repeat.
RECORDS = frozenset(
    {
        "contacts",
        "outreach",
        "interviews",
        "log_entries",
        "member_goals",
        "pauses",
        "targets",
        "practice_requests",
        "practice_pairs",
        "wins",
        "group_members",
    }
)
_STORED = "peerpath.stored"  # Session.info: None while not watched, else whether it stored
_EARLIER = "peerpath.earlier"  # Session.info: the rows pending when the watch began
_FORGOTTEN = "peerpath.forgotten"  # Session.info: the work deleted members (/forget-me)


class Repeated(Exception):
    """The command was stored moments ago; this unit of work must roll back."""


def key(member: Member, command: str, args: Mapping[str, Any], channel: str | None) -> str:
    """What makes two commands the same: member, command name, the channel it is for
    (which group it acts on), normalised arguments."""
    given = {name: _normal(value) for name, value in sorted(args.items()) if value is not None}
    text = json.dumps(
        [member.id, command, channel, given], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_normal(item) for item in value]
    return value if isinstance(value, bool | int | float) else str(value)


def watch(session: AsyncSession) -> None:
    """Note from here on whether the unit of work stores anything. Rows already pending
    (the member's first contact, joining the channel's group) are not the command's."""
    session.info[_STORED] = False
    session.info[_EARLIER] = frozenset(session.new)


async def claim(
    session: AsyncSession,
    member: Member,
    command: str,
    args: Mapping[str, Any],
    channel: str | None,
    now: datetime,
) -> None:
    """If the watched work stored something, claim its key; :class:`Repeated` when the
    same command was stored within the window (by this transaction's rival, too)."""
    stored = session.info.pop(_STORED, False) or _stores(session.sync_session)
    session.info.pop(_EARLIER, None)
    if session.info.pop(_FORGOTTEN, False) or not stored:
        return  # nothing stored — or the member is gone, with nothing to claim a key for
    statement = upsert.insert(session, CommandKey).values(
        member_id=member.id, key=key(member, command, args, channel), created_at=now
    )
    repeat = and_(CommandKey.key == statement.excluded.key, CommandKey.created_at >= now - WINDOW)
    statement = statement.on_conflict_do_update(
        index_elements=[CommandKey.member_id],
        set_={"key": statement.excluded.key, "created_at": now},
        where=not_(repeat),
    )
    if (await session.execute(statement)).rowcount != 1:
        raise Repeated


def _stores(session: Session) -> bool:
    """Whether rows are pending — added, deleted, or a member's record changed — that
    were not when the watch began."""
    earlier = session.info.get(_EARLIER, frozenset())
    added = (row for row in session.new if row not in earlier)
    return (
        any(row.__table__.name not in BOOKKEEPING for row in added)
        or any(row.__table__.name in RECORDS for row in session.deleted)
        or any(row.__table__.name in RECORDS and session.is_modified(row) for row in session.dirty)
    )


@event.listens_for(Session, "before_flush")
def _flushing(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    if session.info.get(_STORED) is False and _stores(session):
        session.info[_STORED] = True


@event.listens_for(Session, "do_orm_execute")
def _executing(state: ORMExecuteState) -> None:
    if state.session.info.get(_STORED) is None:
        return
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = state.statement.table.name  # type: ignore[attr-defined]
    if state.is_delete and table == "members":
        state.session.info[_FORGOTTEN] = True
    if table in RECORDS if not state.is_insert else table not in BOOKKEEPING:
        state.session.info[_STORED] = True
