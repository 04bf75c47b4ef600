"""Planning nudges when something happens. Each is a row with a unique key, so planning
the same thing twice (a retried command, a re-run) never produces a second reminder."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Interview, Member, Nudge, NudgeStatus, Outreach
from bot.nudges.timing import TIMINGS, at_reminder_hour
from bot.services import outreach, upsert


class Kind(StrEnum):
    THANKS_FIRST = "thanks-first"
    THANKS_DUE = "thanks-due"
    THANKS_OVERDUE = "thanks-overdue"
    SECOND_PERSON = "second-person"
    FOLLOW_UP = "follow-up"
    PREP = "interview-prep"
    HOW_DID_IT_GO = "interview-log"
    REFERRAL_UPDATE = "referral-update"
    GOAL_MIDWEEK = "goal-midweek"
    GOAL_LAST_CALL = "goal-last-call"
    DIGEST = "digest"


def nudge_key(owner: str, kind: str, subject_id: int, due: date, extra: str = "") -> str:
    """The idempotency key: (owner, kind, subject, due date)."""
    return f"{owner}:{kind}:{subject_id}:{due.isoformat()}{extra}"


async def plan(
    session: AsyncSession,
    member: Member,
    kind: Kind,
    subject_id: int,
    due_at: datetime,
    now: datetime,
    about_day: date | None = None,
    extra_key: str = "",
) -> None:
    """Plan one DM for ``member``; a moment already past is not planned (the reply said it)."""
    if due_at <= now:
        return
    row = {
        "workspace_id": member.workspace_id,
        "member_id": member.id,
        "group_id": None,
        "kind": kind.value,
        "subject_id": subject_id,
        "about_day": about_day,
        "key": nudge_key(f"m{member.id}", kind, subject_id, due_at.date(), extra_key),
        "due_at": due_at,
        "next_at": due_at,
        "status": NudgeStatus.PENDING.value,
        "attempts": 0,
        "created_at": now,
    }
    await session.execute(upsert.insert(session, Nudge).values(row).on_conflict_do_nothing())


async def plan_thanks(
    session: AsyncSession, member: Member, interview: Interview, now: datetime
) -> None:
    """24 h after (best within 48 h), the day before the deadline, and when it is overdue."""
    due = interview.thank_you_due
    for kind, moment in (
        (Kind.THANKS_FIRST, interview.held_at + TIMINGS.thanks_first),
        (Kind.THANKS_DUE, due - TIMINGS.thanks_due_soon),
        (Kind.THANKS_OVERDUE, due),
    ):
        await plan(session, member, kind, interview.id, moment, now)


async def plan_follow_ups(
    session: AsyncSession, member: Member, request: Outreach, tz: ZoneInfo, now: datetime
) -> None:
    """The 3B7 rule, at the member's reminder hour on the business days it names."""
    second, follow_up = outreach.follow_up_dates(request.sent_on)
    for kind, day in ((Kind.SECOND_PERSON, second), (Kind.FOLLOW_UP, follow_up)):
        await plan(session, member, kind, request.id, at_reminder_hour(day, member, tz), now)


async def plan_scheduled(
    session: AsyncSession, member: Member, request: Outreach, tz: ZoneInfo, now: datetime
) -> None:
    """Prep questions the day before; "how did it go?" the day after."""
    day = request.scheduled_for
    if day is None:
        return
    for kind, offset in ((Kind.PREP, -1), (Kind.HOW_DID_IT_GO, 1)):
        moment = at_reminder_hour(day + timedelta(days=offset), member, tz)
        await plan(session, member, kind, request.id, moment, now, about_day=day)


async def plan_referral_update(
    session: AsyncSession, member: Member, interview: Interview, tz: ZoneInfo, now: datetime
) -> None:
    """Nudge the member to tell the referrer how it went, at their next reminder hour."""
    today = now.astimezone(tz).date()
    moment = at_reminder_hour(today, member, tz)
    if moment <= now:
        moment = at_reminder_hour(today + timedelta(days=1), member, tz)
    await plan(session, member, Kind.REFERRAL_UPDATE, interview.id, moment, now)


async def snooze(session: AsyncSession, member: Member, nudge: Nudge, now: datetime) -> datetime:
    """Plan the same reminder again one day from now; returns when it will come."""
    due = now + TIMINGS.snooze
    await plan(
        session,
        member,
        Kind(nudge.kind),
        nudge.subject_id,
        due,
        now,
        about_day=nudge.about_day,
        extra_key=f":snoozed-{nudge.id}",
    )
    return due
