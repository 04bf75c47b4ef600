"""Wins: the steps worth celebrating, whether their member shared them, and the week's.

A win is recorded when an interview is logged or scheduled (one row per thing that
happened), offered to its member, and shared only when they say so: the claim on
``shared_at`` is a conditional update, so two presses (or two replicas) share it once.
Only the kind, the referral count and the member's own line are ever posted.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.dates import local_today, week_start
from bot.models import Group, Interview, Member, Outreach, OutreachStatus, Win, WinKind
from bot.services import groups, upsert, zones

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


# What a scheduled win celebrates stays true once the call is held; declined, or the
# /scheduled taken back, it does not.
KEPT = (OutreachStatus.SCHEDULED.value, OutreachStatus.INTERVIEWED.value)


def standing() -> ColumnElement[bool]:
    """Whether a win's step is still on record, per ``Win`` row in SQL: its interview not
    taken back with /undo, its call still scheduled (or since held). The one rule for
    sharing, posting and counting a win."""
    held, call = aliased(Interview), aliased(Outreach)  # apart from any joined by the caller
    interview = (
        exists().where(held.id == Win.subject_id, held.member_id == Win.member_id).correlate(Win)
    )
    call_kept = (
        exists()
        .where(
            call.id == Win.subject_id,
            call.member_id == Win.member_id,
            call.status.in_(KEPT),
        )
        .correlate(Win)
    )
    return or_(
        and_(Win.kind == WinKind.INTERVIEW.value, interview),
        and_(Win.kind == WinKind.SCHEDULED.value, call_kept),
    )


async def stands(session: AsyncSession, win: Win) -> bool:
    """Whether what the win celebrates is still on record (:func:`standing`)."""
    return await session.scalar(select(Win.id).where(Win.id == win.id, standing())) is not None


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


async def shared_in_week(session: AsyncSession, group: Group, week: date) -> list[tuple[str, int]]:
    """(display name, wins) of the group's members who shared wins counted in ``week``,
    most first. A win counts in the week, on its member's own calendar, of the step it
    celebrates — like the interviews it sits beside: an interview's win on the day the
    interview was held, a scheduled call's on the day it was scheduled. Wins whose step
    was taken back count nowhere. Sharing was each member's choice, so members off the
    leaderboard are listed too."""
    first = datetime.combine(week - timedelta(days=1), time(), tzinfo=UTC)  # any zone's
    last = datetime.combine(week + timedelta(days=8), time(), tzinfo=UTC)  # Monday..Sunday
    rows = (
        await session.execute(
            select(Member, Win.kind, Win.created_at, Interview.held_on)
            .join(Win, Win.member_id == Member.id)
            .outerjoin(
                Interview,
                and_(Win.kind == WinKind.INTERVIEW.value, Interview.id == Win.subject_id),
            )
            .where(
                Member.id.in_(groups.scope(group)),
                Win.shared_at.isnot(None),
                standing(),
                or_(
                    Interview.held_on.between(week, week + timedelta(days=6)),
                    and_(
                        Win.kind == WinKind.SCHEDULED.value,
                        Win.created_at >= first,
                        Win.created_at < last,
                    ),
                ),
            )
        )
    ).all()
    people = {row[0].id: row[0] for row in rows}.values()
    # Each is in the group, so has a zone of their own or a first group's: the default
    # (the group's) is never reached.
    zones_of = await zones.zones_of(session, people, group.tz)
    counted: Counter[Member] = Counter()
    for member, kind, created_at, held_on in rows:
        day = (
            held_on
            if kind == WinKind.INTERVIEW.value
            else local_today(created_at, zones_of[member.id])
        )
        if week_start(day) == week:
            counted[member] += 1
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0].display_name or ""))
    return [(member.display_name, count) for member, count in ranked]
