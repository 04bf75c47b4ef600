"""Outreach: a request for a conversation, moved along sent → scheduled/declined/…

3B7's end has its home here: a request unanswered through its follow-up day (7
business days after it was sent, on the member's calendar) has had no response, from
the next day on, whatever happened to its reminders (:func:`rest_unanswered`, run by
every sweep; :func:`awaiting` for readers between two sweeps).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import add_business_days
from bot.models import Contact, Member, Outreach, OutreachStatus
from bot.nudges.timing import TIMINGS
from bot.services import contacts, stale_streaks, zones

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
    notes: str | None = None,
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
        notes=notes,
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


def awaiting(sent_on: date, today: date) -> bool:
    """Whether a request sent on ``sent_on`` (and not answered) still awaits a reply on
    ``today``: through its follow-up day, not after."""
    return follow_up_dates(sent_on)[1] >= today


@functools.lru_cache(maxsize=64)
def awaiting_since(today: date) -> date:
    """The earliest day a request can have been sent and still await a reply ``today``."""
    day = today
    while awaiting(day - timedelta(days=1), today):
        day -= timedelta(days=1)
    return day


CHUNK = 5000  # ids per IN list


async def rest_unanswered(session: AsyncSession, now: datetime, default_tz: str) -> int:
    """Mark no-response every request unanswered past its follow-up day on its member's
    calendar — reminders on or off, paused or not, delivered or not. Returns how many.

    Read through the (status, sent_at) index: only requests still "sent" and at least
    six days old are looked at, and each leaves that state once it rests, so a sweep
    reads the handful at the edge of their day rather than the history."""
    utc_today = now.astimezone(UTC).date()
    edge = awaiting_since(utc_today + timedelta(days=1))  # the calendar furthest ahead
    # The requests first, then their members' zones: joined in one statement, SQLite
    # walked every member's history instead of the status index (0.1 s at 50,000 logs).
    candidates = (
        await session.execute(
            select(Outreach.id, Outreach.sent_on, Outreach.member_id).where(
                Outreach.status == OutreachStatus.SENT.value,
                Outreach.sent_at < now - timedelta(days=6),
                Outreach.sent_on < edge,
            )
        )
    ).all()
    if not candidates:
        return 0
    members = sorted({member_id for _, _, member_id in candidates})
    zone_of: dict[int, str] = {}
    for start in range(0, len(members), CHUNK):  # within every driver's parameter limit
        chunk = members[start : start + CHUNK]
        zone = zones.zone_column(default_tz).label("zone")
        query = select(Member.id, zone).where(Member.id.in_(chunk))
        zone_of.update((row.id, row.zone) for row in await session.execute(query))
    clocks: dict[str, date] = {}
    resting = []
    for request_id, sent_on, member_id in candidates:
        tz = zone_of[member_id]
        if tz not in clocks:
            clocks[tz] = now.astimezone(ZoneInfo(tz)).date()
        if not awaiting(sent_on, clocks[tz]):
            resting.append(request_id)
    for start in range(0, len(resting), CHUNK):
        await session.execute(
            update(Outreach)
            .where(
                Outreach.id.in_(resting[start : start + CHUNK]),
                Outreach.status == OutreachStatus.SENT.value,
            )
            .values(status=OutreachStatus.NO_RESPONSE.value, status_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(resting)


async def open_at(
    session: AsyncSession, member: Member, company: str | None, other_than: int
) -> list[Contact]:
    """The contacts at ``company`` (however it is typed) with an open request from
    ``member`` other than request ``other_than``: 3B7's "a second person there"."""
    employer = contacts.company_key(company)
    if employer is None:
        return []
    rows = await session.execute(
        select(Contact)
        .join(Outreach, Outreach.contact_id == Contact.id)
        .where(
            Outreach.member_id == member.id,
            Outreach.status.in_(OPEN),
            Outreach.id != other_than,
            Contact.company.is_not(None),
        )
    )
    return [c for c in rows.scalars() if contacts.company_key(c.company) == employer]
