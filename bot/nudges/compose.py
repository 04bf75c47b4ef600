"""What each nudge says, decided when it is delivered, from the data as it is then.

Returning ``None`` means the nudge no longer makes sense (the thank-you was
marked, the outreach got a reply, the interview day has passed) and is dropped.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import questions
from bot.dates import format_date
from bot.models import Contact, Interview, Member, Nudge, Outreach, OutreachStatus
from bot.nudges.plan import Kind
from bot.replies import Button, ButtonStyle, Reply
from bot.services import contacts, outreach

MAX_BUTTONS = 10


def snooze_button(nudge: Nudge) -> Button:
    return Button(f"snooze:{nudge.id}", "Snooze 1 day")


async def compose(
    session: AsyncSession, nudge: Nudge, member: Member, tz: ZoneInfo, now: datetime
) -> Reply | None:
    kind = Kind(nudge.kind)
    if kind in (Kind.THANKS_FIRST, Kind.THANKS_DUE, Kind.THANKS_OVERDUE):
        return await _thanks(session, nudge, member, tz, kind)
    if kind is Kind.REFERRAL_UPDATE:
        return await _referral_update(session, nudge, member)
    request = await session.scalar(
        select(Outreach).where(Outreach.id == nudge.subject_id, Outreach.member_id == member.id)
    )
    if request is None:
        return None
    contact = await contacts.get(session, member, request.contact_id)
    if contact is None:
        return None
    who = contacts.label(contact)
    today = now.astimezone(tz).date()
    if kind in (Kind.SECOND_PERSON, Kind.FOLLOW_UP):
        if request.status != OutreachStatus.SENT.value:
            return None
        if kind is Kind.SECOND_PERSON:
            employer = contact.company or "that employer"
            return Reply(
                title="No reply yet",
                text=f"Three business days since you wrote to {who}. Don't wait: reach out to "
                f"a second person at {employer} today.",
            )
        return Reply(
            title="Time for one follow-up",
            text=f"Seven business days without a reply from {who}. Send one short, polite "
            "follow-up — then let it rest and put your energy into new outreach.",
        )
    scheduled = (
        request.status == OutreachStatus.SCHEDULED.value
        and request.scheduled_for == nudge.about_day
    )
    if not scheduled or nudge.about_day is None:
        return None
    if kind is Kind.PREP:
        if nudge.about_day < today:
            return None
        asked = "\n".join(f"• {q}" for q in questions.handful()[:4])
        return Reply(
            title="Your conversation is tomorrow",
            text=f"You're talking with {who} on {format_date(nudge.about_day)}. A few questions "
            f"to have ready:\n{asked}\nKeep to the time you asked for, and before you leave, "
            "ask for two more names.",
        )
    return Reply(
        title="How did it go?",
        text=f"Your conversation with {who} was on {format_date(nudge.about_day)}. "
        "Log it while it's fresh — then send your thank-you.",
        actions=[
            Button(f"log-it:{request.id}", "Log it", ButtonStyle.PRIMARY),
            snooze_button(nudge),
        ],
    )


async def _thanks(
    session: AsyncSession, nudge: Nudge, member: Member, tz: ZoneInfo, kind: Kind
) -> Reply | None:
    row = await session.execute(
        select(Interview, Contact)
        .join(Contact, Contact.id == Interview.contact_id)
        .where(Interview.id == nudge.subject_id, Interview.member_id == member.id)
    )
    found = row.first()
    if found is None or found[0].thanked_at is not None:
        return None
    interview, contact = found
    due = format_date(interview.thank_you_due.astimezone(tz).date())
    who = contacts.label(contact)
    text = {
        Kind.THANKS_FIRST: f"Have you thanked {who} yet? A note within 48 hours is best "
        f"(the deadline is {due}).",
        Kind.THANKS_DUE: f"Your thank-you to {who} is due tomorrow ({due}).",
        Kind.THANKS_OVERDUE: f"Your thank-you to {who} is overdue (it was due {due}). "
        "A late note is still far better than none.",
    }[kind]
    return Reply(
        title="Thank-you note",
        text=text,
        actions=[
            Button(f"thanked:{interview.id}", "Thank-you sent", ButtonStyle.PRIMARY),
            snooze_button(nudge),
        ],
    )


async def _referral_update(session: AsyncSession, nudge: Nudge, member: Member) -> Reply | None:
    interview = await session.scalar(
        select(Interview).where(Interview.id == nudge.subject_id, Interview.member_id == member.id)
    )
    if interview is None:
        return None
    contact = await contacts.get(session, member, interview.contact_id)
    referrer = (
        await contacts.get(session, member, contact.referred_by_id)
        if contact and contact.referred_by_id
        else None
    )
    if contact is None or referrer is None:
        return None
    return Reply(
        title="Close the loop",
        text=f"You talked with {contact.name}, whom {referrer.name} introduced. Send "
        f"{referrer.name} a short update and a thank-you — people love hearing their "
        "introduction helped.",
    )


AFTER_SENT = {Kind.FOLLOW_UP.value}


async def on_sent(session: AsyncSession, nudge: Nudge, member: Member, now: datetime) -> None:
    """Effects of a delivered nudge: after the 3B7 follow-up, the outreach rests."""
    if nudge.kind == Kind.FOLLOW_UP.value:
        request = await session.scalar(
            select(Outreach).where(Outreach.id == nudge.subject_id, Outreach.member_id == member.id)
        )
        if request is not None and request.status == OutreachStatus.SENT.value:
            outreach.move(request, OutreachStatus.NO_RESPONSE, now)


FAMILIES = {
    Kind.THANKS_FIRST: "thanks",
    Kind.THANKS_DUE: "thanks",
    Kind.THANKS_OVERDUE: "thanks",
    Kind.SECOND_PERSON: "follow",
    Kind.FOLLOW_UP: "follow",
    Kind.PREP: "meeting",
    Kind.HOW_DID_IT_GO: "meeting",
    Kind.REFERRAL_UPDATE: "referral",
}


def superseded(nudges: list[Nudge]) -> set[int]:
    """Ids of nudges a later one about the same thing makes redundant (after downtime,
    "due tomorrow" and "overdue" for one thank-you should arrive as just "overdue")."""
    latest: dict[tuple[str, int], Nudge] = {}
    for nudge in sorted(nudges, key=lambda n: (n.due_at, n.id)):
        latest[(FAMILIES[Kind(nudge.kind)], nudge.subject_id)] = nudge
    keep = {n.id for n in latest.values()}
    return {n.id for n in nudges if n.id not in keep}


def combine(replies: list[Reply]) -> Reply:
    """Several nudges due for one member at once become one message."""
    if len(replies) == 1:
        return replies[0]
    text = "\n\n".join(f"{r.title}: {r.text}" if r.title else r.text for r in replies)
    actions = [a for r in replies for a in r.actions][:MAX_BUTTONS]
    return Reply(title=f"{len(replies)} reminders", text=text, actions=actions)
