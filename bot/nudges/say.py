"""What each reminder says, decided when it is delivered, from the data as it is then.

One composer per kind (the table in :mod:`bot.nudges.kinds` names each kind's), all
with the same signature. ``None`` means the reminder no longer makes sense — the
thank-you was marked, the outreach got a reply, the day has passed, another reminder
says it better — and it is dropped.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from bot import deadlines, questions, wording
from bot.dates import format_date
from bot.models import OutreachStatus
from bot.nudges.facts import (
    ContactFacts,
    Facts,
    GoalWeek,
    PracticeFacts,
    RequestFacts,
    TopTarget,
)
from bot.nudges.timing import TIMINGS
from bot.replies import Button, Mention, Reply
from bot.services import contacts


def thanks_first(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    return _thanks(nudge, member, facts, now.astimezone(tz).date(), first=True)


def thanks_due(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    """ "Due tomorrow" and "overdue" alike: said from the due day as it stands on the
    member's calendar today (a reminder delayed by downtime still says it rightly)."""
    return _thanks(nudge, member, facts, now.astimezone(tz).date(), first=False)


def _thanks(nudge: Row, member: Row, facts: Facts, today: date, first: bool) -> Reply | None:
    interview = facts.interview(nudge, member)
    contact = facts.contacts.get(interview.contact_id) if interview else None
    if interview is None or contact is None or interview.thanked_at is not None:
        return None
    due = interview.thank_you_due_on
    who = contacts.label(contact)
    best = TIMINGS.thanks_best_hours[1]
    state = deadlines.due_words(due, today)
    if first:
        text = f"Have you thanked {who} yet? A note within {best} hours is best (it is {state})."
    elif deadlines.overdue(due, today):
        text = f"Your thank-you to {who} is {state}. A late note is still far better than none."
    else:
        text = f"Your thank-you to {who} is {state}."
    return Reply(
        title="Thank-you note",
        text=text,
        actions=[
            facts.buttons.thanked(interview, contact),
            facts.buttons.snooze(nudge, contact.name),
        ],
    )


def _unanswered(
    nudge: Row, member: Row, facts: Facts, *also: str
) -> tuple[RequestFacts, ContactFacts] | None:
    """The request and its contact while no reply came (status sent, or one of ``also``)."""
    request = facts.request(nudge, member)
    contact = facts.contacts.get(request.contact_id) if request else None
    if request is None or contact is None:
        return None
    if request.status not in (OutreachStatus.SENT.value, *also):
        return None
    return request, contact


def second_person(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    """3B7's first step. "A second person at X" only while no other request to X is open;
    requests to one employer due together fold into one message (said by the first)."""
    found = _unanswered(nudge, member, facts)
    if found is None:
        return None
    request, contact = found
    days = wording.plural(TIMINGS.second_person_after, "business day").capitalize()
    employer = contacts.company_key(contact.company)
    if employer is None:
        return Reply(
            title="No reply yet",
            text=f"{days} since you wrote to {contacts.label(contact)}. Don't wait: reach out "
            "to a second person who does this kind of work today.",
        )
    folded = facts.folding.get((member.id, employer), [request.id])
    if folded[0] != request.id:
        return None  # named in the message of the first request to this employer
    others = set(facts.employers.get((member.id, employer), ())) - set(folded)
    if len(folded) == 1:
        if others:
            return None  # a second person there has been asked already
        return Reply(
            title="No reply yet",
            text=f"{days} since you wrote to {contacts.label(contact)}. Don't wait: reach out "
            f"to a second person at {contact.company} today.",
        )
    names = [facts.contacts[facts.outreach[r].contact_id].name for r in folded]
    return Reply(
        title="No reply yet",
        text=f"{days} without a reply from {wording.listing(names)} at {contact.company}. "
        "You have written to more than one person there, so no need for another: give them "
        "time, and put today's energy into a different employer.",
    )


def follow_up(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    """Said late too (downtime, quiet hours): the request may have rested meanwhile — it
    was still unanswered — and the one follow-up is still worth sending."""
    found = _unanswered(nudge, member, facts, OutreachStatus.NO_RESPONSE.value)
    if found is None:
        return None
    days = wording.plural(TIMINGS.follow_up_after, "business day")
    return Reply(
        title="Time for one follow-up",
        text=f"{days.capitalize()} without a reply from {contacts.label(found[1])}. Send one "
        "short, polite follow-up — then let it rest and put your energy into new outreach.",
    )


def _booked(nudge: Row, member: Row, facts: Facts) -> tuple[RequestFacts, ContactFacts] | None:
    request = facts.request(nudge, member)
    contact = facts.contacts.get(request.contact_id) if request else None
    if request is None or contact is None or nudge.about_day is None:
        return None
    still_booked = request.status == OutreachStatus.SCHEDULED.value
    return (request, contact) if still_booked and request.scheduled_for == nudge.about_day else None


def prep(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    found = _booked(nudge, member, facts)
    day = nudge.about_day
    if found is None or day < now.astimezone(tz).date():
        return None
    asked = "\n".join(f"• {q}" for q in questions.handful()[:4])
    return Reply(
        title="Your conversation is tomorrow",
        text=f"You're talking with {contacts.label(found[1])} on {format_date(day)}. A few "
        f"questions to have ready:\n{asked}\nKeep to the time you asked for, and before you "
        "leave, ask for two more names.",
    )


def how_did_it_go(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    found = _booked(nudge, member, facts)
    if found is None:
        return None
    request, contact = found
    return Reply(
        title="How did it go?",
        text=f"Your conversation with {contacts.label(contact)} was on "
        f"{format_date(nudge.about_day)}. Log it while it's fresh — then send your thank-you.",
        actions=[
            facts.buttons.log_it(request, contact.name),
            facts.buttons.snooze(nudge, contact.name),
        ],
    )


def referral_update(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
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


def _goal_week(nudge: Row, member: Row, facts: Facts) -> GoalWeek | None:
    """The week a check-in is about, while it helps: still on, not paused, goals not met."""
    current = facts.weeks.get(member.id)
    if current is None or current.monday != nudge.about_day:
        return None  # that goal week is over
    return None if current.week.paused or current.week.met else current


def last_call_at(current: GoalWeek, tz: ZoneInfo) -> datetime:
    """When the week's last call falls: its weekday at the member's reminder hour."""
    day = current.monday + timedelta(days=TIMINGS.last_call)
    return datetime.combine(day, time(current.reminder_hour), tzinfo=tz)


def goal_midweek(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    """Only when behind the pace the week so far asks for, and only until the same week's
    last call is due (a check-in held up by downtime or quiet hours then says nothing)."""
    current = _goal_week(nudge, member, facts)
    if current is None or now >= last_call_at(current, tz):
        return None
    local = now.astimezone(tz)
    elapsed = (local.weekday() + local.hour / 24) / 7
    if current.week.tally.outreach >= current.week.goals.outreach * elapsed:
        return None
    return Reply(
        title="Midweek check-in",
        text=f"{wording.progress(current.week, local.date())}. A couple of short outreach "
        "messages today put you back on pace — ask for 20-30 minutes of advice, never a job.",
    )


def goal_last_call(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    """What is still needed, in numbers, and the streak at stake — if there is one."""
    current = _goal_week(nudge, member, facts)
    if current is None:
        return None
    tally, goals = current.week.tally, current.week.goals
    needed = []
    if tally.outreach < goals.outreach:
        needed.append(
            f"{goals.outreach - tally.outreach} more outreach to meet your goal of {goals.outreach}"
        )
    if tally.interviews < goals.interviews:
        short = goals.interviews - tally.interviews
        needed.append(
            f"{wording.plural(short, 'more interview', 'more interviews')} to meet your goal "
            f"of {goals.interviews}"
        )
    at_stake = (
        f"that keeps your streak of {wording.weeks(current.streak)} alive"
        if current.streak
        else "meet your goals and this week starts a streak"
    )
    progress = wording.progress(current.week, now.astimezone(tz).date())
    return Reply(
        title="Last call for this week",
        text=f"{progress}. There is still time before Sunday: {' and '.join(needed)} — {at_stake}.",
    )


def top_target(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    """The week's suggestion: the highest-ranked employer with no request open there —
    nothing when every target has one (or the list is gone)."""
    top: TopTarget | None = facts.tops.get(member.id)
    if top is None:
        return None
    if top.first_unasked:
        step = f"you know {top.first_unasked} there: ask them for 20 minutes of advice."
    elif top.contacts:
        step = "everyone you know there was asked; who else could introduce you?"
    else:
        step = "no contact there yet: who do you know who knows someone there?"
    return Reply(
        title="This week's top target",
        text=f"{top.company} is the top of your /targets list with no outreach open — {step} "
        "(Turn these suggestions off with /settings targets=off.)",
    )


def went_quiet(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    """One friendly word in a quiet spell: what waits, one small step, and /pause. Said
    only while the member is still in the spell it was planned for, and not paused."""
    found = facts.quiet.get(member.id)
    if found is None or found.since is None or found.paused:
        return None
    if found.since.date() != nudge.about_day:  # they logged since: that spell is over
        return None
    days = TIMINGS.quiet_after.days
    waiting = []
    if found.thanks_owed:
        waiting.append(wording.plural(found.thanks_owed, "thank-you note") + " to send")
    if found.open_requests:
        waiting.append(wording.plural(found.open_requests, "request") + " awaiting a reply")
    if found.thanks_owed:
        step = "send one of those thank-you notes — a few lines is plenty — then /thanked"
    elif found.open_requests:
        step = "follow up on one request (/pending shows where each stands)"
    else:
        step = (
            "send one short message asking someone whose job interests you for 20 minutes "
            "of advice, then /outreach"
        )
    pending = f"Waiting on you: {wording.listing(waiting)}." if waiting else "Nothing is overdue."
    return Reply(
        title="Checking in",
        text=f"Nothing logged in peerpath for {days} days — that happens. {pending} One small "
        f"next step: {step}. If you need a break, /pause weeks=2 keeps your streak as it "
        "is until you are back.",
    )


PRACTICE_MINUTES = "20–30 minutes"
PRACTICE_LENGTH = "20–30 minute"  # as an adjective: "a 20–30 minute practice conversation"


def practice_pair(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    """The DM pairing two members for a practice conversation (each gets their own)."""
    pair = facts.practice.get(nudge.subject_id)
    if pair is None or member.id not in (pair.seeker_id, pair.contact_id):
        return None
    return pairing(pair, member.id, facts.buttons.practice_done(pair, member.id))


def pairing(pair: PracticeFacts, member_id: int, done: Button) -> Reply:
    """Who the partner is (a mention), who plays whom, three of /prep's questions for the
    field and the **Done** button: the pairing as either member reads it."""
    seeker = member_id == pair.seeker_id
    user_id, name = pair.people[pair.contact_id if seeker else pair.seeker_id]
    partner = Mention(user_id, wording.member_name(name))
    if seeker:
        role = (
            f"You play the job seeker and {partner.token} plays the contact: ask for "
            f"{PRACTICE_MINUTES}, then ask these and listen."
        )
    else:
        role = (
            f"{partner.token} plays the job seeker and you play the contact: answer as "
            "someone in the field would, and tell them afterwards what went well."
        )
    about = f" about {pair.field}" if pair.field else ""
    asked = "\n".join(
        f"{n}. {q}" for n, q in enumerate(questions.for_practice(pair.field), start=1)
    )
    return Reply(
        title="Your practice conversation",
        text=f"You're paired with {partner.token} for a {PRACTICE_LENGTH} practice "
        f"conversation{about}. {role}\n{asked}\nAgree on a time together; press Done once "
        "you've held it. Practice is counted apart from your real interviews.",
        actions=[done],
        names=(name,) if name else (),
        mentions=(partner,),
    )
