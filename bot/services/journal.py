"""What each log changed, kept so it can be taken back exactly (/undo, /history's Delete).

Every log — outreach, an interview, a request scheduled or declined, thank-yous marked —
writes an entry beside its own rows, in the same transaction, holding what it
overwrote or created beyond them. Taking it back restores that: the rows go, their
reminders not yet sent go, the outreach they moved returns to where it was, contacts
they added (unused since) go, referral links they made are unmade, and any cached
streak covering the day is dropped so every count is recounted from what is left.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Contact,
    Interview,
    LogEntry,
    LogKind,
    Member,
    Outreach,
    OutreachStatus,
    UTCDateTime,
)
from bot.nudges import plan
from bot.nudges.kinds import Subject, about, in_family
from bot.services import contacts, outreach, stale_streaks

UNDO_WITHIN = timedelta(hours=24)
ABOUT_MEETING = in_family("meeting")
ABOUT_INTERVIEW = about(Subject.INTERVIEW)
ABOUT_REQUEST = about(Subject.REQUEST)


async def record(
    session: AsyncSession,
    member: Member,
    kind: LogKind,
    now: datetime,
    *,
    outreach_id: int | None = None,
    interview_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    session.add(
        LogEntry(
            workspace_id=member.workspace_id,
            member_id=member.id,
            kind=kind.value,
            outreach_id=outreach_id,
            interview_id=interview_id,
            changes=json.dumps(changes or {}, default=_jsonable),
            created_at=now,
        )
    )


def _jsonable(value: object) -> str:
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    raise TypeError(f"not storable in a log entry: {type(value).__name__}")


def status_of(request: Outreach) -> dict[str, Any]:
    """An outreach's state, as a log that moves it keeps it."""
    return {
        "id": request.id,
        "status": request.status,
        "status_at": request.status_at,
        "scheduled_for": request.scheduled_for,
        "scheduled_time": request.scheduled_time,
    }


def _restore_status(request: Outreach, before: dict[str, Any]) -> None:
    request.status = before["status"]
    request.status_at = datetime.fromisoformat(before["status_at"])
    day = before.get("scheduled_for")
    request.scheduled_for = date.fromisoformat(day) if day else None
    at = before.get("scheduled_time")
    request.scheduled_time = time.fromisoformat(at) if at else None


# Run by every /undo: built once (see ``reads.ForMembers``).
_LATEST = (
    select(LogEntry)
    .where(
        LogEntry.member_id == bindparam("member_id"),
        LogEntry.created_at >= bindparam("since", type_=UTCDateTime),
    )
    .order_by(LogEntry.created_at.desc(), LogEntry.id.desc())
    .limit(1)
)
_SUBJECTS = {
    model: select(model, Contact)
    .join(Contact, Contact.id == model.contact_id)
    .where(model.id == bindparam("row_id"), model.member_id == bindparam("member_id"))
    for model in (Outreach, Interview)
}
Subject = tuple[Outreach | Interview, Contact]


async def latest(session: AsyncSession, member: Member, now: datetime) -> LogEntry | None:
    """The member's most recent log, if it was made within :data:`UNDO_WITHIN`."""
    return await session.scalar(_LATEST, {"member_id": member.id, "since": now - UNDO_WITHIN})


async def subject(session: AsyncSession, member: Member, entry: LogEntry) -> Subject | None:
    """The row an entry is about, with its contact (None when it is gone)."""
    model: type[Outreach] | type[Interview] = Outreach if entry.outreach_id else Interview
    row_id = entry.outreach_id or entry.interview_id
    found = (
        await session.execute(_SUBJECTS[model], {"row_id": row_id, "member_id": member.id})
    ).first()
    return (found[0], found[1]) if found is not None else None


async def take_back(
    session: AsyncSession, member: Member, entry: LogEntry, found: Subject | None
) -> None:
    """Undo ``entry``'s log and everything it brought with it (``found``: its
    :func:`subject`); the entry goes too."""
    changes = json.loads(entry.changes)
    kind = LogKind(entry.kind)
    if found is None or kind not in (LogKind.OUTREACH, LogKind.INTERVIEW):
        await session.delete(entry)  # else it goes with its row's entries (delete_row)
    if found is None:
        return
    row, contact = found
    if kind is LogKind.OUTREACH:
        assert isinstance(row, Outreach)
        await delete_row(session, member, row)
        await _restore_contact(session, contact, changes.get("contact"))
    elif kind is LogKind.INTERVIEW:
        assert isinstance(row, Interview)
        await _take_back_interview(session, member, row, contact, changes)
    elif kind in (LogKind.SCHEDULED, LogKind.DECLINED):
        assert isinstance(row, Outreach)
        if kind is LogKind.SCHEDULED:
            await plan.unplan(session, member, ABOUT_MEETING, row.id)
        _restore_status(row, changes["request"])
    else:
        for interview in await _owned(session, member, changes["interviews"]):
            interview.thanked_at = interview.thanked_on = None


async def _take_back_interview(
    session: AsyncSession,
    member: Member,
    interview: Interview,
    contact: Contact,
    changes: dict[str, Any],
) -> None:
    moved = changes.get("request")
    await delete_row(session, member, interview)
    if moved:
        request = await session.scalar(
            select(Outreach).where(Outreach.id == moved["id"], Outreach.member_id == member.id)
        )
        if request is not None:
            _restore_status(request, moved)
    for link in changes.get("linked", []):
        linked = await contacts.get(session, member, link["id"])
        if linked is not None:
            linked.referred_by_id = link["referred_by_id"]
            linked.may_use_referrer_name = link["may_use"]
    for referral_id in changes.get("new_referrals", []):
        referral = await contacts.get(session, member, referral_id)
        if referral is not None and not await contacts.in_use(session, referral):
            await session.delete(referral)
    await _restore_contact(session, contact, changes.get("contact"))


async def _restore_contact(
    session: AsyncSession, contact: Contact, before: dict[str, Any] | None
) -> None:
    """A contact the log added goes (unless used since); one it filled in is as it was."""
    if not before:
        return
    if before.get("new"):
        if not await contacts.in_use(session, contact):  # the query flushes what went first
            await session.delete(contact)
        return
    contacts.restore(contact, before)


async def _owned(session: AsyncSession, member: Member, ids: list[int]) -> list[Interview]:
    rows = await session.scalars(
        select(Interview).where(Interview.id.in_(ids), Interview.member_id == member.id)
    )
    return list(rows)


async def delete_row(session: AsyncSession, member: Member, row: Outreach | Interview) -> None:
    """A log's row gone for good, with its reminders not yet sent and its log entries; the
    cached streak of its week is dropped, so the counts are made again without it."""
    if isinstance(row, Outreach):
        kinds, column, day = ABOUT_REQUEST, LogEntry.outreach_id, row.sent_on
    else:
        kinds, column, day = ABOUT_INTERVIEW, LogEntry.interview_id, row.held_on
    await plan.unplan(session, member, kinds, row.id)
    await session.execute(delete(LogEntry).where(LogEntry.member_id == member.id, column == row.id))
    await stale_streaks.logged_on(session, member.id, day)
    await session.delete(row)


async def move(
    session: AsyncSession, member: Member, request: Outreach, status: OutreachStatus, now: datetime
) -> None:
    """Move ``request`` on (scheduled, declined) as a log the member can take back."""
    kind = LogKind.SCHEDULED if status is OutreachStatus.SCHEDULED else LogKind.DECLINED
    changes = {"request": status_of(request)}
    await record(session, member, kind, now, outreach_id=request.id, changes=changes)
    outreach.move(request, status, now)


async def delete_record(session: AsyncSession, member: Member, row: Outreach | Interview) -> None:
    """/history's Delete: the log that made ``row`` taken back (everything it brought with
    it), or — for a row logged before entries were kept — the row and its reminders."""
    column = LogEntry.outreach_id if isinstance(row, Outreach) else LogEntry.interview_id
    kind = LogKind.OUTREACH if isinstance(row, Outreach) else LogKind.INTERVIEW
    entry = await session.scalar(
        select(LogEntry).where(
            LogEntry.member_id == member.id, LogEntry.kind == kind.value, column == row.id
        )
    )
    if entry is not None:
        await take_back(session, member, entry, await subject(session, member, entry))
    elif isinstance(row, Outreach):
        await delete_row(session, member, row)
    else:
        request_id = row.outreach_id
        await delete_row(session, member, row)
        request = await session.scalar(
            select(Outreach).where(Outreach.id == request_id, Outreach.member_id == member.id)
        )
        if request is not None and request.status == OutreachStatus.INTERVIEWED.value:
            back = OutreachStatus.SCHEDULED if request.scheduled_for else OutreachStatus.SENT
            request.status = back.value
