"""What each nudge says, decided when it is delivered, from the data as it is then.

The facts a batch of nudges needs (their interviews, outreach and contacts) are
loaded in three queries, not three per nudge, so a sweep's cost follows the
number of nudges due rather than the queries each would make. ``None`` means a
nudge no longer makes sense (the thank-you was marked, the outreach got a
reply, the interview day has passed) and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines, questions, wording
from bot.commands.interviews import thanked_button
from bot.commands.reminders import LOG_IT, SNOOZE
from bot.dates import format_date, week_start
from bot.models import Contact, Interview, Member, Nudge, Outreach, OutreachStatus
from bot.nudges.plan import Kind
from bot.nudges.timing import TIMINGS
from bot.replies import Button, ButtonStyle, Reply
from bot.services import contacts, outreach, streak_cache
from bot.streaks import Week

MAX_BUTTONS = 10
KNOWN_KINDS = frozenset(k.value for k in Kind)
ABOUT_INTERVIEWS = {Kind.THANKS_FIRST, Kind.THANKS_DUE, Kind.THANKS_OVERDUE, Kind.REFERRAL_UPDATE}
ABOUT_REQUESTS = {Kind.SECOND_PERSON, Kind.FOLLOW_UP, Kind.PREP, Kind.HOW_DID_IT_GO}
AFTER_SENT = {Kind.FOLLOW_UP.value}
FAMILIES = {
    Kind.THANKS_FIRST: "thanks",
    Kind.THANKS_DUE: "thanks",
    Kind.THANKS_OVERDUE: "thanks",
    Kind.SECOND_PERSON: "follow",
    Kind.FOLLOW_UP: "follow",
    Kind.PREP: "meeting",
    Kind.HOW_DID_IT_GO: "meeting",
    Kind.REFERRAL_UPDATE: "referral",
    Kind.GOAL_MIDWEEK: "goal",
    Kind.GOAL_LAST_CALL: "goal",
    Kind.DIGEST: "digest",
}
ABOUT_GOALS = {Kind.GOAL_MIDWEEK, Kind.GOAL_LAST_CALL}


class InterviewFacts(NamedTuple):
    id: int
    member_id: int
    contact_id: int
    thanked_at: datetime | None
    thank_you_due_on: date


class RequestFacts(NamedTuple):
    id: int
    member_id: int
    contact_id: int
    status: str
    scheduled_for: date | None


class ContactFacts(NamedTuple):
    id: int
    name: str
    company: str | None
    referred_by_id: int | None


# A sweep reads a thousand of each at once: plain columns, joined with their contact,
# cost a fraction of loading mapped objects.
_INTERVIEWS = select(
    Interview.id,
    Interview.member_id,
    Interview.contact_id,
    Interview.thanked_at,
    Interview.thank_you_due_on,
    Contact.id,
    Contact.name,
    Contact.company,
    Contact.referred_by_id,
).join(Contact, Contact.id == Interview.contact_id)
_REQUESTS = select(
    Outreach.id,
    Outreach.member_id,
    Outreach.contact_id,
    Outreach.status,
    Outreach.scheduled_for,
    Contact.id,
    Contact.name,
    Contact.company,
    Contact.referred_by_id,
).join(Contact, Contact.id == Outreach.contact_id)
_CONTACTS = select(Contact.id, Contact.name, Contact.company, Contact.referred_by_id)


@dataclass
class Facts:
    """The rows a batch of nudges talks about, keyed by id; ``weeks`` holds the current
    week (on their own clock) of members with a goal check-in due."""

    interviews: dict[int, InterviewFacts]
    outreach: dict[int, RequestFacts]
    contacts: dict[int, ContactFacts]
    weeks: dict[int, tuple[date, Week]] = field(default_factory=dict)

    def interview(self, nudge: Row, member: Row) -> InterviewFacts | None:
        found = self.interviews.get(nudge.subject_id)
        return found if found is not None and found.member_id == member.id else None

    def request(self, nudge: Row, member: Row) -> RequestFacts | None:
        found = self.outreach.get(nudge.subject_id)
        return found if found is not None and found.member_id == member.id else None


async def load_facts(
    session: AsyncSession,
    nudges: Iterable[Row],
    zones: dict[int, ZoneInfo],
    people: dict[int, Row],
    now: datetime,
) -> Facts:
    """Everything ``nudges`` talk about, in two queries (three when a contact was
    introduced by someone) plus the weeks of goal check-ins."""
    nudges = list(nudges)
    # Kinds are string enums: a row's plain string finds its member in these sets.
    interview_ids = {n.subject_id for n in nudges if n.kind in ABOUT_INTERVIEWS}
    outreach_ids = {n.subject_id for n in nudges if n.kind in ABOUT_REQUESTS}
    connection = await session.connection()  # plain rows: no per-row ORM processing
    interviews: dict[int, InterviewFacts] = {}
    requests: dict[int, RequestFacts] = {}
    found: dict[int, ContactFacts] = {}
    if interview_ids:
        for row in await connection.execute(_INTERVIEWS.where(Interview.id.in_(interview_ids))):
            interviews[row[0]] = InterviewFacts._make(row[:5])
            found[row[5]] = ContactFacts._make(row[5:])
    if outreach_ids:
        for row in await connection.execute(_REQUESTS.where(Outreach.id.in_(outreach_ids))):
            requests[row[0]] = RequestFacts._make(row[:5])
            found[row[5]] = ContactFacts._make(row[5:])
    referrers = {c.referred_by_id for c in found.values() if c.referred_by_id} - set(found)
    if referrers:
        for row in await connection.execute(_CONTACTS.where(Contact.id.in_(referrers))):
            found[row[0]] = ContactFacts._make(row)
    checking = {n.member_id for n in nudges if n.kind in ABOUT_GOALS}
    clocked = [
        streak_cache.Clocked(
            m, people[m].display_name, zones[m], week_start(now.astimezone(zones[m]).date())
        )
        for m in checking
        if m in people
    ]
    weeks = await streak_cache.weeks_of(session, clocked) if clocked else {}
    return Facts(
        interviews, requests, found, {c.member_id: (c.week, weeks[c.member_id]) for c in clocked}
    )


def snooze_button(nudge: Row, who: str) -> Button:
    return SNOOZE.button(nudge.id, f"Snooze 1 day: {who}")


def compose(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    """What ``nudge`` says to ``member`` now (rows as the sweep reads them), or None."""
    kind = Kind(nudge.kind)
    if kind in (Kind.THANKS_FIRST, Kind.THANKS_DUE, Kind.THANKS_OVERDUE):
        return _thanks(nudge, member, facts, now.astimezone(tz).date(), kind)
    if kind is Kind.REFERRAL_UPDATE:
        return _referral_update(nudge, member, facts)
    if kind in ABOUT_GOALS:
        return _goal(nudge, member, facts, tz, now, kind)
    request = facts.request(nudge, member)
    contact = facts.contacts.get(request.contact_id) if request else None
    if request is None or contact is None:
        return None
    if kind in (Kind.SECOND_PERSON, Kind.FOLLOW_UP):
        return _follow_up(request, contact, kind)
    return _meeting(nudge, request, contact, kind, now.astimezone(tz).date())


def _follow_up(request: RequestFacts, contact: ContactFacts, kind: Kind) -> Reply | None:
    if request.status != OutreachStatus.SENT.value:
        return None
    who = contacts.label(contact)
    if kind is Kind.SECOND_PERSON:
        employer = contact.company or "that employer"
        days = wording.plural(TIMINGS.second_person_after, "business day")
        return Reply(
            title="No reply yet",
            text=f"{days.capitalize()} since you wrote to {who}. Don't wait: reach out to "
            f"a second person at {employer} today.",
        )
    days = wording.plural(TIMINGS.follow_up_after, "business day")
    return Reply(
        title="Time for one follow-up",
        text=f"{days.capitalize()} without a reply from {who}. Send one short, polite "
        "follow-up — then let it rest and put your energy into new outreach.",
    )


def _meeting(
    nudge: Row, request: RequestFacts, contact: ContactFacts, kind: Kind, today: date
) -> Reply | None:
    day = nudge.about_day
    still_booked = request.status == OutreachStatus.SCHEDULED.value and request.scheduled_for == day
    if not still_booked or day is None:
        return None
    who = contacts.label(contact)
    if kind is Kind.PREP:
        if day < today:
            return None
        asked = "\n".join(f"• {q}" for q in questions.handful()[:4])
        return Reply(
            title="Your conversation is tomorrow",
            text=f"You're talking with {who} on {format_date(day)}. A few questions "
            f"to have ready:\n{asked}\nKeep to the time you asked for, and before you leave, "
            "ask for two more names.",
        )
    return Reply(
        title="How did it go?",
        text=f"Your conversation with {who} was on {format_date(day)}. "
        "Log it while it's fresh — then send your thank-you.",
        actions=[
            LOG_IT.button(request.id, f"Log it: {contact.name}", ButtonStyle.PRIMARY),
            snooze_button(nudge, contact.name),
        ],
    )


def _thanks(nudge: Row, member: Row, facts: Facts, today: date, kind: Kind) -> Reply | None:
    """Said from the due day as it stands on the member's calendar today (a reminder
    delayed by downtime still says "due today" or "overdue" rightly)."""
    interview = facts.interview(nudge, member)
    contact = facts.contacts.get(interview.contact_id) if interview else None
    if interview is None or contact is None or interview.thanked_at is not None:
        return None
    due = interview.thank_you_due_on
    who = contacts.label(contact)
    best = TIMINGS.thanks_best_hours[1]
    state = deadlines.due_words(due, today)
    if kind is Kind.THANKS_FIRST:
        text = f"Have you thanked {who} yet? A note within {best} hours is best (it is {state})."
    elif deadlines.overdue(due, today):
        text = f"Your thank-you to {who} is {state}. A late note is still far better than none."
    else:
        text = f"Your thank-you to {who} is {state}."
    return Reply(
        title="Thank-you note",
        text=text,
        actions=[thanked_button(interview, contact), snooze_button(nudge, contact.name)],
    )


def _goal(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime, kind: Kind
) -> Reply | None:
    """Only while it helps: the week is still on, not paused, the goals not yet met, and —
    midweek — the member behind the pace the week so far asks for."""
    current = facts.weeks.get(member.id)
    if current is None or current[0] != nudge.about_day:
        return None  # that goal week is over
    week = current[1]
    if week.paused or week.met:
        return None
    local = now.astimezone(tz)
    elapsed = (local.weekday() + local.hour / 24) / 7
    if kind is Kind.GOAL_MIDWEEK and week.tally.outreach >= week.goals.outreach * elapsed:
        return None
    progress = wording.progress(week, local.date())
    if kind is Kind.GOAL_MIDWEEK:
        return Reply(
            title="Midweek check-in",
            text=f"{progress}. A couple of short outreach messages today put you back on pace "
            "— ask for 20-30 minutes of advice, never a job.",
        )
    return Reply(
        title="Last call for this week",
        text=f"{progress}. There is still time: one or two messages before Sunday keep your "
        "streak alive.",
    )


def _referral_update(nudge: Row, member: Row, facts: Facts) -> Reply | None:
    interview = facts.interview(nudge, member)
    contact = facts.contacts.get(interview.contact_id) if interview else None
    referrer = (
        facts.contacts.get(contact.referred_by_id) if contact and contact.referred_by_id else None
    )
    if contact is None or referrer is None:
        return None
    return Reply(
        title="Close the loop",
        text=f"You talked with {contact.name}, whom {referrer.name} introduced. Send "
        f"{referrer.name} a short update and a thank-you — people love hearing their "
        "introduction helped.",
    )


async def on_sent(session: AsyncSession, nudge: Nudge, member: Member, now: datetime) -> None:
    """Effects of a delivered nudge: after the 3B7 follow-up, the outreach rests."""
    if nudge.kind == Kind.FOLLOW_UP.value:
        request = await session.scalar(
            select(Outreach).where(Outreach.id == nudge.subject_id, Outreach.member_id == member.id)
        )
        if request is not None and request.status == OutreachStatus.SENT.value:
            outreach.move(request, OutreachStatus.NO_RESPONSE, now)


def superseded(nudges: list[Row]) -> set[int]:
    """Ids of nudges a later one about the same thing makes redundant (after downtime,
    "due tomorrow" and "overdue" for one thank-you should arrive as just "overdue")."""
    if len(nudges) == 1:
        return set()
    latest: dict[tuple[str, int], Row] = {}
    for nudge in sorted(nudges, key=lambda n: (n.due_at, n.id)):
        latest[(FAMILIES[nudge.kind], nudge.subject_id)] = nudge
    keep = {n.id for n in latest.values()}
    return {n.id for n in nudges if n.id not in keep}


def combine(replies: list[Reply]) -> Reply:
    """Several nudges due for one member at once become one message."""
    if len(replies) == 1:
        return replies[0]
    text = "\n\n".join(f"{r.title}: {r.text}" if r.title else r.text for r in replies)
    actions = [a for r in replies for a in r.actions][:MAX_BUTTONS]
    return Reply(title=f"{len(replies)} reminders", text=text, actions=actions)
