"""Interviews held, their referrals, and the thank-you note each one is owed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines
from bot.models import Contact, Interview, Member
from bot.services import stale_streaks

MAX_REFERRALS = 10


async def log(
    session: AsyncSession,
    member: Member,
    contact: Contact,
    held_on: date,
    held_at: datetime,
    now: datetime,
    via: str | None,
    notes: str | None,
    outreach_id: int | None,
    referral_count: int,
) -> Interview:
    row = Interview(
        workspace_id=member.workspace_id,
        member_id=member.id,
        contact_id=contact.id,
        outreach_id=outreach_id,
        held_on=held_on,
        held_at=held_at,
        via=via,
        notes=notes,
        referral_count=referral_count,
        thank_you_due_on=deadlines.thank_you_due(held_on),
        created_at=now,
    )
    session.add(row)
    await session.flush()
    await stale_streaks.logged_on(session, member.id, held_on)
    return row


# Statements run on every log or thank-you, built once (see ``reads.ForMembers``).
_ON_DAY = select(Interview).where(
    Interview.member_id == bindparam("member_id"),
    Interview.contact_id == bindparam("contact_id"),
    Interview.held_on == bindparam("day"),
)
_WITH = (
    select(Interview)
    .where(
        Interview.member_id == bindparam("member_id"),
        Interview.contact_id == bindparam("contact_id"),
    )
    .order_by(Interview.held_on.desc(), Interview.id.desc())
)
_UNTHANKED = (
    select(Interview, Contact)
    .join(Contact, Contact.id == Interview.contact_id)
    .where(Interview.member_id == bindparam("member_id"), Interview.thanked_at.is_(None))
    .order_by(Interview.thank_you_due_on, Interview.id)
)


async def on_day(
    session: AsyncSession, member: Member, contact: Contact, held_on: date
) -> Interview | None:
    return await session.scalar(
        _ON_DAY, {"member_id": member.id, "contact_id": contact.id, "day": held_on}
    )


async def get(session: AsyncSession, member: Member, interview_id: int) -> Interview | None:
    """One interview of this member's; another member's id simply isn't found."""
    return await session.scalar(
        select(Interview).where(Interview.id == interview_id, Interview.member_id == member.id)
    )


async def with_contact(session: AsyncSession, member: Member, contact: Contact) -> list[Interview]:
    """Every interview with ``contact``, the latest first."""
    rows = await session.scalars(_WITH, {"member_id": member.id, "contact_id": contact.id})
    return list(rows)


def mark_thanked(interview: Interview, now: datetime, today: date) -> bool:
    """Mark its thank-you sent now, on the member's ``today``; whether that is on time."""
    interview.thanked_at, interview.thanked_on = now, today
    return deadlines.on_time(today, interview.thank_you_due_on)


async def awaiting_thanks(session: AsyncSession, member: Member) -> list[tuple[Interview, Contact]]:
    """Interviews with no thank-you marked yet, the most urgent first."""
    rows = await session.execute(_UNTHANKED, {"member_id": member.id})
    return [(i, c) for i, c in rows]


def split_referrals(text: str | None) -> list[str]:
    """``"Bob Lee; Ann Wu"`` (or commas, or "and") → a list of names, duplicates dropped."""
    if not text:
        return []
    for separator in (",", " and ", "\n", " & "):
        text = text.replace(separator, ";")
    names = [" ".join(part.split()) for part in text.split(";")]
    return list(dict.fromkeys(n for n in names if n))
