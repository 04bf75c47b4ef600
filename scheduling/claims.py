"""The outbox's SQL: claim due nudges, renew a claim, and write what became of them.

A claim marks rows ``sending`` with ``claimed_at`` — the claim's token as well as its
time. Whoever holds a claim renews it (:func:`renew`) before it is half a lease old,
and only while the rows still carry its token; a claim older than a lease may be taken
over by any sweep, which then treats its rows as "maybe sent". Every statement here
works on plain rows through the session's connection: a sweep handles thousands, and
the ORM's per-row bookkeeping would cost more than the SQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.models import Member, Nudge, NudgeStatus, Workspace
from bot.nudges.decide import Decision
from bot.storage.writer import Writer

Sessions = Callable[[], AsyncSession]

# What a sweep reads of each due nudge. None of it changes once a nudge is planned (a
# snooze plans a new one), so what the claim read serves the whole sweep.
CLAIMED = (
    Nudge.id,
    Nudge.member_id,
    Nudge.workspace_id,
    Nudge.group_id,
    Nudge.kind,
    Nudge.subject_id,
    Nudge.about_day,
    Nudge.key,
    Nudge.due_at,
    Nudge.status,
    Nudge.attempts,
    Nudge.in_doubt,
)
# Whom a member's message goes to, and through which platform. A sweep reads a thousand
# at once: plain columns cost a fraction of loading mapped objects.
RECIPIENTS = select(
    Member.id,
    Member.workspace_id,
    Member.user_id,
    Member.display_name,
    Member.tz,
    Member.quiet_start,
    Member.quiet_end,
    Member.reminders_on,
    Member.dm_closed_at,
    Workspace.platform,
    Workspace.external_id,
    Workspace.uninstalled_at,
).join(Workspace, Workspace.id == Member.workspace_id)

_NUDGES = Nudge.__table__
_MEMBERS = Member.__table__
_SETTLE = (
    update(_NUDGES)
    .where(_NUDGES.c.id == bindparam("nudge_id"))
    .values(status=bindparam("new_status"), last_error=bindparam("why"), in_doubt=False)
)
_DEFER = (
    update(_NUDGES)
    .where(_NUDGES.c.id == bindparam("nudge_id"))
    .values(
        status=NudgeStatus.PENDING.value,
        next_at=bindparam("allowed"),
        attempts=_NUDGES.c.attempts - 1,  # a deferral is not a delivery attempt
    )
)
_RETRY = (
    update(_NUDGES)
    .where(_NUDGES.c.id == bindparam("nudge_id"))
    .values(
        status=NudgeStatus.PENDING.value,
        next_at=bindparam("at"),
        last_error=bindparam("why"),
        in_doubt=bindparam("doubt"),
        attempts=_NUDGES.c.attempts - bindparam("refund"),
    )
)


@dataclass
class Claim:
    nudge: Row  # the columns in ``CLAIMED``
    in_doubt: bool  # may have gone out already: its lease ran out, or its send timed out


async def claim(
    sessions: Sessions, now: datetime, lease: timedelta, batch: int
) -> tuple[list[Claim], bool]:
    """Claim every due nudge of up to ``batch`` members (so each member gets one
    message), and of a batch of group posts, with ``now`` as the claim's token. Returns
    the claims and whether more may be due.

    On PostgreSQL a sweep first takes its members (``FOR NO KEY UPDATE SKIP LOCKED`` on
    their rows, which does not block commands writing their logs), then all their due
    nudges: two sweeps never split one member's nudges between them, and only the
    owner of a member ever locks that member's nudges, so they cannot deadlock.
    """
    ways = (
        and_(Nudge.status == NudgeStatus.PENDING.value, Nudge.next_at <= now),
        and_(Nudge.status == NudgeStatus.SENDING.value, Nudge.claimed_at <= now - lease),
    )
    # One SELECT per way a nudge is due, each a range of the (status, next_at) index:
    # written as one OR, SQLite chose to walk every member's nudges instead (0.3 s at
    # two million sent nudges, against 2 ms).
    waiting = union_all(
        *(
            select(Nudge.member_id, Nudge.next_at).where(way, Nudge.member_id.is_not(None))
            for way in ways
        )
    ).subquery()
    candidates = (
        select(waiting.c.member_id)
        .group_by(waiting.c.member_id)
        .order_by(func.min(waiting.c.next_at))
        .limit(batch)
    )
    posts = select(*CLAIMED).where(or_(*ways), Nudge.member_id.is_(None))
    posts = posts.order_by(Nudge.next_at).limit(batch)
    claiming = {
        "status": NudgeStatus.SENDING.value,
        "claimed_at": now,
        "attempts": _NUDGES.c.attempts + 1,
    }
    claims: list[Claim] = []
    async with sessions() as session, session.begin():
        connection = await session.connection()
        postgres = connection.dialect.name == "postgresql"
        members = list((await connection.scalars(candidates)).all())
        full = len(members) == batch
        if postgres and members:
            owned = select(Member.id).where(Member.id.in_(members))
            owned = owned.with_for_update(skip_locked=True, key_share=True)  # FOR NO KEY UPDATE
            members = list((await connection.scalars(owned)).all())
            posts = posts.with_for_update(skip_locked=True)
        if members:
            # Claimed and read in one statement per way. A nudge whose lease ran out was
            # claimed before by a sweep that never finished: it may have gone out. (Those
            # go first, while the fresh claims are not yet among the rows "sending".)
            whose = Nudge.member_id.in_(members)
            for way, expired in ((ways[1], True), (ways[0], False)):
                claimed = await connection.execute(
                    update(_NUDGES).where(way, whose).values(claiming).returning(*CLAIMED)
                )
                claims += [Claim(row, expired or row.in_doubt) for row in claimed]
        group_posts = list((await connection.execute(posts)).all())
        full = full or len(group_posts) == batch
        if group_posts:
            expired = {p.id: p.status == NudgeStatus.SENDING.value for p in group_posts}
            claimed = await connection.execute(
                update(_NUDGES)
                .where(_NUDGES.c.id.in_(list(expired)))
                .values(claiming)
                .returning(*CLAIMED)
            )
            claims += [Claim(row, expired[row.id] or row.in_doubt) for row in claimed]
    return claims, full


async def renew(sessions: Sessions, ids: list[int], token: datetime, now: datetime) -> set[int]:
    """Move the claim on ``ids`` from ``token`` to ``now``; returns the ids still ours.
    A row another sweep took over (its lease ran out) no longer carries our token."""
    if not ids:
        return set()
    async with sessions() as session, session.begin():
        connection = await session.connection()
        renewed = await connection.execute(
            update(_NUDGES)
            .where(
                _NUDGES.c.id.in_(ids),
                _NUDGES.c.status == NudgeStatus.SENDING.value,
                _NUDGES.c.claimed_at == token,
            )
            .values(claimed_at=now)
            .returning(_NUDGES.c.id)
        )
        return set(renewed.scalars())


class Lease:
    """A batch's claim while its messages go out: the token its rows carry, and the rows
    not yet settled, which a renewal keeps claimed."""

    def __init__(
        self, sessions: Sessions, token: datetime, lease: timedelta, outstanding: set[int]
    ) -> None:
        self.sessions = sessions
        self.token = token
        self.lease = lease
        self.outstanding = outstanding
        self.lost: set[int] = set()
        self._renewing = asyncio.Lock()

    async def holds(self, ids: list[int], now: datetime, writer: Writer) -> bool:
        """Whether ``ids`` are still ours to send, renewing every outstanding claim first
        once it is half a lease old (in a turn of ``writer``, SQLite's one writer)."""
        if now - self.token >= self.lease / 2:
            async with self._renewing:
                if now - self.token >= self.lease / 2:
                    claimed = sorted(self.outstanding)
                    async with writer.turn():
                        kept = await renew(self.sessions, claimed, self.token, now)
                    self.lost.update(set(claimed) - kept)
                    self.token = now
        return self.lost.isdisjoint(ids)

    def settled(self, ids: list[int]) -> None:
        """Sent (and marked) or given back: no longer ours to renew."""
        self.outstanding.difference_update(ids)


@dataclass
class Writes:
    """What sweeps decided for nudges they do not send now, written in one statement each."""

    settled: list[dict[str, Any]] = field(default_factory=list)
    deferred: list[dict[str, Any]] = field(default_factory=list)
    retried: list[dict[str, Any]] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)  # members whose DMs were refused for good

    def add(self, decision: Decision) -> None:
        self.settled += [
            {"nudge_id": n.id, "new_status": NudgeStatus.DROPPED.value, "why": why}
            for n, why in decision.dropped
        ]
        self.settled += [
            {"nudge_id": n.id, "new_status": NudgeStatus.FAILED.value, "why": why}
            for n, why in decision.failed
        ]
        self.deferred += [{"nudge_id": n.id, "allowed": at} for n, at in decision.deferred]
        self.retried += [
            {
                "nudge_id": n.id,
                "at": retry.at,
                "why": retry.why,
                "doubt": retry.in_doubt,
                "refund": 0 if retry.counts else 1,
            }
            for n, retry in decision.retried
        ]

    async def write(self, connection: AsyncConnection, now: datetime) -> None:
        for statement, rows in (
            (_SETTLE, self.settled),
            (_DEFER, self.deferred),
            (_RETRY, self.retried),
        ):
            if rows:
                await connection.execute(statement, rows)
        if self.closed:
            # The week until the next try starts now (also when they were closed before), and
            # their next command tells them (it then clears the state: see bot/app.py).
            await connection.execute(
                update(_MEMBERS).where(_MEMBERS.c.id.in_(self.closed)).values(dm_closed_at=now)
            )


async def mark_sent(
    connection: AsyncConnection, ids: list[int], reopened: list[int], now: datetime
) -> None:
    """Delivered: the nudges are sent; members reached although their DMs were recorded
    closed have them open again."""
    await connection.execute(
        update(_NUDGES)
        .where(_NUDGES.c.id.in_(ids))
        .values(status=NudgeStatus.SENT.value, sent_at=now, last_error=None, in_doubt=False)
    )
    if reopened:
        await connection.execute(
            update(_MEMBERS).where(_MEMBERS.c.id.in_(reopened)).values(dm_closed_at=None)
        )


async def next_due(sessions: Sessions) -> datetime | None:
    """When the next pending nudge falls due."""
    async with sessions() as session:
        return await session.scalar(
            select(func.min(Nudge.next_at)).where(Nudge.status == NudgeStatus.PENDING.value)
        )
