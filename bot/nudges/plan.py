"""Planning nudges when something happens. Each is a row with a unique key, so planning
the same thing twice (a retried command, a re-run) never produces a second reminder."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines
from bot.models import Interview, Member, Nudge, NudgeStatus, Outreach
from bot.nudges.kinds import AT_REMINDER_HOUR, Kind
from bot.nudges.timing import TIMINGS, at_reminder_hour
from bot.services import outreach, upsert


def nudge_key(owner: str, kind: str, subject_id: int, due: date, extra: str = "") -> str:
    """The idempotency key: (owner, kind, subject, due date)."""
    return f"{owner}:{kind}:{subject_id}:{due.isoformat()}{extra}"


def nudge_row(
    workspace_id: int,
    kind: Kind,
    due_at: datetime,
    now: datetime,
    *,
    key_day: date,
    member_id: int | None = None,
    group_id: int | None = None,
    subject_id: int = 0,
    about_day: date | None = None,
    extra_key: str = "",
) -> dict[str, Any]:
    """A pending nudge as a row to insert — the one builder, for planned reminders and
    the recurring ones alike. Its key is (owner, kind, subject, ``key_day``): the day a
    reminder is due, or the week a recurring one is about."""
    owner = f"m{member_id}" if member_id is not None else f"g{group_id}"
    return {
        "workspace_id": workspace_id,
        "member_id": member_id,
        "group_id": group_id,
        "kind": kind.value,
        "subject_id": subject_id,
        "about_day": about_day,
        "key": nudge_key(owner, kind, subject_id, key_day, extra_key),
        "due_at": due_at,
        "next_at": due_at,
        "status": NudgeStatus.PENDING.value,
        "attempts": 0,
        "created_at": now,
    }


class Planned(NamedTuple):
    """One DM to plan: its kind, subject, moment, and the day it is about (if any)."""

    kind: Kind
    subject_id: int
    due_at: datetime
    about_day: date | None = None
    extra_key: str = ""


SNOOZED = ":snoozed-"  # ends the key of a snoozed reminder's second planning

_INSERTS: dict[str, Any] = {}


async def plan_all(
    session: AsyncSession, member: Member, planned: Iterable[Planned], now: datetime
) -> None:
    """Plan DMs for ``member`` in one statement; moments already past are not planned
    (the reply said it)."""
    rows = [
        nudge_row(
            member.workspace_id,
            p.kind,
            p.due_at,
            now,
            member_id=member.id,
            subject_id=p.subject_id,
            key_day=p.due_at.date(),
            about_day=p.about_day,
            extra_key=p.extra_key,
        )
        for p in planned
        if p.due_at > now
    ]
    await insert_rows(session, rows)


async def insert_rows(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert nudge rows (:func:`nudge_row`); a row whose key is planned already is left
    as it is, so planning one thing twice (a repeated press) sends it once."""
    if not rows:
        return
    dialect = session.bind.dialect.name
    statement = _INSERTS.get(dialect)
    if statement is None:
        statement = _INSERTS[dialect] = upsert.insert(session, Nudge).on_conflict_do_nothing()
    await session.execute(statement, rows)


async def unplan(
    session: AsyncSession, member: Member, kinds: Iterable[Kind], subject_id: int
) -> None:
    """Forget the reminders about ``subject_id`` not yet on their way: its log was taken
    back, or re-dated and is planned again (sent ones stay as the record of what went)."""
    await session.execute(
        delete(Nudge).where(
            Nudge.member_id == member.id,
            Nudge.subject_id == subject_id,
            Nudge.kind.in_([kind.value for kind in kinds]),
            Nudge.status == NudgeStatus.PENDING.value,
        )
    )


async def plan_thanks(
    session: AsyncSession, member: Member, interview: Interview, tz: ZoneInfo, now: datetime
) -> None:
    """24 h after (best within 48 h); then, at the reminder hour, the day before the due
    day and the first day it is overdue (the due day is the member's whole day)."""
    due = interview.thank_you_due_on
    moments = (
        (Kind.THANKS_FIRST, interview.held_at + TIMINGS.thanks_first),
        (Kind.THANKS_DUE, at_reminder_hour(due - TIMINGS.thanks_due_soon, member, tz)),
        (Kind.THANKS_OVERDUE, at_reminder_hour(deadlines.overdue_from(due), member, tz)),
    )
    await plan_all(session, member, (Planned(k, interview.id, m) for k, m in moments), now)


async def plan_follow_ups(
    session: AsyncSession, member: Member, request: Outreach, tz: ZoneInfo, now: datetime
) -> None:
    """The 3B7 rule, at the member's reminder hour on the business days it names."""
    second, follow_up = outreach.follow_up_dates(request.sent_on)
    await plan_all(
        session,
        member,
        (
            Planned(kind, request.id, at_reminder_hour(day, member, tz))
            for kind, day in ((Kind.SECOND_PERSON, second), (Kind.FOLLOW_UP, follow_up))
        ),
        now,
    )


async def plan_scheduled(
    session: AsyncSession, member: Member, request: Outreach, tz: ZoneInfo, now: datetime
) -> None:
    """Prep questions the day before; "how did it go?" the day after."""
    day = request.scheduled_for
    if day is None:
        return
    await plan_all(
        session,
        member,
        (
            Planned(
                kind, request.id, at_reminder_hour(day + timedelta(days=offset), member, tz), day
            )
            for kind, offset in ((Kind.PREP, -1), (Kind.HOW_DID_IT_GO, 1))
        ),
        now,
    )


async def plan_referral_update(
    session: AsyncSession, member: Member, interview: Interview, tz: ZoneInfo, now: datetime
) -> None:
    """Nudge the member to tell the referrer how it went, at their next reminder hour."""
    today = now.astimezone(tz).date()
    moment = at_reminder_hour(today, member, tz)
    if moment <= now:
        moment = at_reminder_hour(today + timedelta(days=1), member, tz)
    await plan_all(session, member, [Planned(Kind.REFERRAL_UPDATE, interview.id, moment)], now)


async def snooze(session: AsyncSession, member: Member, nudge: Nudge, now: datetime) -> datetime:
    """Plan the same reminder again one day from now; returns when it will come."""
    due = now + TIMINGS.snooze
    again = Planned(
        Kind(nudge.kind), nudge.subject_id, due, nudge.about_day, f"{SNOOZED}{nudge.id}"
    )
    await plan_all(session, member, [again], now)
    return due


async def follow_reminder_hour(
    session: AsyncSession, member: Member, tz: ZoneInfo, new_tz: ZoneInfo
) -> int:
    """After a change of reminder hour or time zone: the reminders planned for the old
    hour in ``tz`` come at the member's hour now, in ``new_tz``, each on the same day of
    their calendar. Returns how many moved. Snoozed reminders (a day from the snooze, not
    at the hour) and ones already deferred or retried stay as they are."""
    waiting = await session.scalars(
        select(Nudge).where(
            Nudge.member_id == member.id,
            Nudge.status == NudgeStatus.PENDING.value,
            Nudge.attempts == 0,
            Nudge.kind.in_([kind.value for kind in AT_REMINDER_HOUR]),
        )
    )
    moved = 0
    for nudge in waiting:
        if nudge.next_at != nudge.due_at or SNOOZED in nudge.key:
            continue
        moment = at_reminder_hour(nudge.due_at.astimezone(tz).date(), member, new_tz)
        if moment != nudge.due_at:
            nudge.due_at = nudge.next_at = moment
            moved += 1
    return moved
