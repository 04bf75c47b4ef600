"""Outreach: a request for a conversation, moved along sent → scheduled/declined/…"""

from __future__ import annotations

import functools
from datetime import date, datetime

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import add_business_days
from bot.models import Contact, Member, Outreach, OutreachStatus
from bot.nudges.timing import TIMINGS
from bot.services import stale_streaks

OPEN = (OutreachStatus.SENT.value, OutreachStatus.SCHEDULED.value)


async def log(
    session: AsyncSession,
    member: Member,
    contact: Contact,
    via: str,
    sent_on: date,
    sent_at: datetime,
    now: datetime,
    status: OutreachStatus = OutreachStatus.SENT,
) -> Outreach:
    row = Outreach(
        workspace_id=member.workspace_id,
        member_id=member.id,
        contact_id=contact.id,
        via=via,
        sent_on=sent_on,
        sent_at=sent_at,
        status=status.value,
        status_at=now,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    await stale_streaks.logged_on(session, member.id, sent_on)
    return row


# Statements run on every log, built once (see ``reads.ForMembers``).
_LATEST_OPEN = (
    select(Outreach)
    .where(
        Outreach.member_id == bindparam("member_id"),
        Outreach.contact_id == bindparam("contact_id"),
        Outreach.status.in_(OPEN),
    )
    .order_by(Outreach.sent_at.desc(), Outreach.id.desc())
    .limit(1)
)
_SAME_DAY = select(Outreach).where(
    Outreach.member_id == bindparam("member_id"),
    Outreach.contact_id == bindparam("contact_id"),
    Outreach.sent_on == bindparam("day"),
)


async def latest_open(session: AsyncSession, member: Member, contact: Contact) -> Outreach | None:
    return await session.scalar(_LATEST_OPEN, {"member_id": member.id, "contact_id": contact.id})


async def latest_with_status(
    session: AsyncSession, member: Member, contact: Contact, statuses: tuple[str, ...]
) -> Outreach | None:
    """The member's latest request to ``contact`` in one of ``statuses``."""
    return await session.scalar(
        select(Outreach)
        .where(
            Outreach.member_id == member.id,
            Outreach.contact_id == contact.id,
            Outreach.status.in_(statuses),
        )
        .order_by(Outreach.sent_at.desc(), Outreach.id.desc())
        .limit(1)
    )


async def same_day(
    session: AsyncSession, member: Member, contact: Contact, sent_on: date
) -> Outreach | None:
    return await session.scalar(
        _SAME_DAY, {"member_id": member.id, "contact_id": contact.id, "day": sent_on}
    )


def move(row: Outreach, status: OutreachStatus, now: datetime) -> None:
    row.status = status.value
    row.status_at = now


@functools.cache
def _with_status(statuses: tuple[str, ...]) -> Select:
    """Built once per set of statuses (callers use one or two): building and keying the
    statement cost more than running it."""
    return (
        select(Outreach, Contact)
        .join(Contact, Contact.id == Outreach.contact_id)
        .where(Outreach.member_id == bindparam("member_id"), Outreach.status.in_(statuses))
        .order_by(Outreach.scheduled_for, Outreach.sent_at)
    )


async def with_status(
    session: AsyncSession, member: Member, statuses: tuple[str, ...]
) -> list[tuple[Outreach, Contact]]:
    rows = await session.execute(_with_status(statuses), {"member_id": member.id})
    return [(o, c) for o, c in rows]


def follow_up_dates(sent_on: date) -> tuple[date, date]:
    """The 3B7 rule: when to try a second person, and when to send the one follow-up."""
    return (
        add_business_days(sent_on, TIMINGS.second_person_after),
        add_business_days(sent_on, TIMINGS.follow_up_after),
    )
