"""Wins: the steps worth celebrating, whether their member shared them, and the week's.

A win is recorded when an interview is logged or scheduled (one row per thing that
happened), offered to its member, and shared only when they say so: the claim on
``shared_at`` is a conditional update, so two presses (or two replicas) share it once.
Only the kind, the referral count and the member's own line are ever posted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Interview, Member, Outreach, OutreachStatus, Win, WinKind
from bot.services import groups, upsert

LINE_MAX = 200  # characters of a member's own line under a win (``bot/lengths.py`` cuts)


async def record(
    session: AsyncSession,
    member: Member,
    kind: WinKind,
    subject_id: int,
    now: datetime,
    referrals: int = 0,
) -> Win:
    """The win for ``subject_id``, recorded once however often it is logged again."""
    statement = upsert.insert(session, Win).values(
        workspace_id=member.workspace_id,
        member_id=member.id,
        kind=kind.value,
        subject_id=subject_id,
        referrals=referrals,
        created_at=now,
    )
    await session.execute(statement.on_conflict_do_nothing())
    win = await session.scalar(
        select(Win).where(
            Win.member_id == member.id, Win.kind == kind.value, Win.subject_id == subject_id
        )
    )
    assert win is not None  # inserted above, or there already
    return win


async def unshared(session: AsyncSession, member: Member, most: int = 10) -> list[Win]:
    """The member's wins not yet shared, latest first (``most`` of them: one whose
    interview was taken back is skipped for the next)."""
    rows = await session.scalars(
        select(Win)
        .where(Win.member_id == member.id, Win.shared_at.is_(None))
        .order_by(Win.created_at.desc(), Win.id.desc())
        .limit(most)
    )
    return list(rows)


async def stands(session: AsyncSession, win: Win) -> bool:
    """Whether what the win celebrates is still on record: an interview taken back with
    /undo, or a call no longer scheduled, is nothing to post."""
    if win.kind == WinKind.INTERVIEW.value:
        found = select(Interview.id).where(
            Interview.id == win.subject_id, Interview.member_id == win.member_id
        )
    else:
        found = select(Outreach.id).where(
            Outreach.id == win.subject_id,
            Outreach.member_id == win.member_id,
            Outreach.status == OutreachStatus.SCHEDULED.value,
        )
    return await session.scalar(found) is not None


async def claim(session: AsyncSession, win: Win, line: str | None, now: datetime) -> bool:
    """Mark ``win`` shared (with ``line``) unless it already is; False when another press
    got there first."""
    done = await session.execute(
        update(Win)
        .where(Win.id == win.id, Win.shared_at.is_(None))
        .values(shared_at=now, line=line)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    await session.refresh(win)
    return True


async def shared_between(
    session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """(display name, wins) of the group's members who shared wins in ``[start, end)``,
    most first. Sharing was each member's choice, so members off the leaderboard are
    listed too."""
    rows = await session.execute(
        select(Member.display_name, func.count(Win.id))
        .join(Win, Win.member_id == Member.id)
        .where(
            Member.id.in_(groups.scope(group_id)),
            Win.shared_at >= start,
            Win.shared_at < end,
        )
        .group_by(Member.id, Member.display_name)
        .order_by(func.count(Win.id).desc(), Member.display_name)
    )
    return [(name, count) for name, count in rows.all()]
