"""What a member's calendar feed lists: calls scheduled, thank-you notes due and the days
of 3B7's steps — read from the logs each time, so the feed follows what is logged."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendars import Entry, call_summary, prep_text
from bot.models import Contact, Interview, Member, Outreach, OutreachStatus
from bot.services import contacts, outreach

# Past entries kept in the feed (a calendar shows what was, too); older ones drop off.
KEPT_FOR = timedelta(days=60)
LINK_KIND = "calendar"  # the kind of signed link that opens a member's feed
GONE = "This calendar is no longer available."


def call_entry(request: Outreach, contact: Contact) -> Entry:
    assert request.scheduled_for is not None
    return Entry(
        uid=f"call-{request.id}@peerpath",
        summary=call_summary(contacts.label(contact)),
        day=request.scheduled_for,
        at=request.scheduled_time,
        description=prep_text(),
        remind=True,
    )


async def entries(session: AsyncSession, member: Member, today: date) -> list[Entry]:
    """The member's own dates, from ``KEPT_FOR`` ago on."""
    since = today - KEPT_FOR
    found: list[Entry] = []
    calls = await session.execute(
        select(Outreach, Contact)
        .join(Contact, Contact.id == Outreach.contact_id)
        .where(
            Outreach.member_id == member.id,
            Outreach.status == OutreachStatus.SCHEDULED.value,
            Outreach.scheduled_for >= since,
        )
    )
    found += [call_entry(request, contact) for request, contact in calls]
    owed = await session.execute(
        select(Interview, Contact)
        .join(Contact, Contact.id == Interview.contact_id)
        .where(
            Interview.member_id == member.id,
            Interview.thanked_at.is_(None),
            Interview.thank_you_due_on >= since,
        )
    )
    for interview, contact in owed:
        found.append(
            Entry(
                uid=f"thanks-{interview.id}@peerpath",
                summary=f"Thank-you note due: {contacts.label(contact)}",
                day=interview.thank_you_due_on,
                description="Send a short thank-you for the conversation, then mark it "
                "with /thanked.",
            )
        )
    waiting = await session.execute(
        select(Outreach, Contact)
        .join(Contact, Contact.id == Outreach.contact_id)
        .where(
            Outreach.member_id == member.id,
            Outreach.status == OutreachStatus.SENT.value,
            Outreach.sent_on >= since - timedelta(days=14),
        )
    )
    for request, contact in waiting:
        second, follow_up = outreach.follow_up_dates(request.sent_on)
        where = f" at {contact.company}" if contact.company else ""
        found += [
            Entry(
                uid=f"3b7-second-{request.id}@peerpath",
                summary=f"3B7: no reply from {contact.name}? Ask a second person{where}",
                day=second,
            ),
            Entry(
                uid=f"3b7-follow-up-{request.id}@peerpath",
                summary=f"3B7: one polite follow-up to {contacts.label(contact)}",
                day=follow_up,
            ),
        ]
    found.sort(key=lambda e: (e.day, e.at is not None, e.at, e.uid))
    return found
