"""Turning due nudges into messages: the facts they need, what each says, one message each.

The facts a batch of nudges needs (their interviews, outreach and contacts) are
loaded in a few queries, not a few per nudge, so a sweep's cost follows the
number of nudges due rather than the queries each would make. What each kind
says is its composer's business (the table in :mod:`bot.nudges.kinds`); ``None``
means a nudge no longer makes sense and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import peers
from bot.commands.interviews import thanked_button
from bot.commands.practice import done_button
from bot.commands.reminders import LOG_IT, SNOOZE
from bot.dates import local_today, week_start
from bot.models import Contact, Interview, Member, Nudge, Outreach, OutreachStatus
from bot.nudges import peer_facts
from bot.nudges.facts import (
    ContactFacts,
    Facts,
    GoalWeek,
    InterviewFacts,
    PracticeFacts,
    QuietFacts,
    RequestFacts,
    TopTarget,
)
from bot.nudges.kinds import AFTER_SENT, KINDS, KNOWN_KINDS, Kind, Subject, about
from bot.replies import Button, ButtonStyle, Reply
from bot.services import contacts, outreach, pauses, practice, quiet, streak_cache, targets

__all__ = [
    "AFTER_SENT",
    "BUTTONS",
    "KNOWN_KINDS",
    "Facts",
    "combine",
    "compose",
    "load_facts",
    "on_sent",
    "superseded",
]

MAX_BUTTONS = 10
_INTERVIEW_KINDS = frozenset(about(Subject.INTERVIEW))
_REQUEST_KINDS = frozenset(about(Subject.REQUEST))
_WEEK_KINDS = frozenset(about(Subject.WEEK))

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
_AT_EMPLOYERS = (
    select(Outreach.id, Outreach.member_id, Contact.company)
    .join(Contact, Contact.id == Outreach.contact_id)
    .where(Outreach.status.in_(outreach.OPEN), Contact.company.is_not(None))
)


class _Buttons:
    """The reminder buttons, built by the commands that answer them."""

    def thanked(self, interview: InterviewFacts, contact: ContactFacts) -> Button:
        return thanked_button(interview, contact)  # type: ignore[arg-type]  # id is all it reads

    def snooze(self, nudge: Row, who: str) -> Button:
        return SNOOZE.button(nudge.id, f"Snooze 1 day: {who}")

    def log_it(self, request: RequestFacts, who: str) -> Button:
        return LOG_IT.button(request.id, f"Log it: {who}", ButtonStyle.PRIMARY)

    def practice_done(self, pair: PracticeFacts, member_id: int) -> Button:
        return done_button(pair.id, member_id)

    def checkin(self, match_id: int, answer: str, label: str, team: str) -> Button:
        return peers.CHECKIN.button(f"{match_id}.{answer}.{team}", label)

    def write_plan(self, week: date, member_id: int) -> Button:
        return peers.WRITE_PLAN.button(
            f"{week.isoformat()}.{member_id}", "Write my plan", ButtonStyle.PRIMARY
        )

    def kept(self, plan_id: int, answer: str, label: str) -> Button:
        return peers.KEPT.button(f"{plan_id}.{answer}", label)


BUTTONS = _Buttons()  # the reminders' buttons, built next to the handlers that answer them


async def load_facts(
    session: AsyncSession,
    nudges: Iterable[Row],
    zones: dict[int, ZoneInfo],
    people: dict[int, Row],
    now: datetime,
) -> Facts:
    """Everything ``nudges`` talk about, in two queries (one more when a contact was
    introduced by someone, one for employers asked twice) plus the weeks of goal check-ins."""
    nudges = list(nudges)
    # Kinds are string enums: a row's plain string finds its member in these sets.
    interview_ids = {n.subject_id for n in nudges if n.kind in _INTERVIEW_KINDS}
    outreach_ids = {n.subject_id for n in nudges if n.kind in _REQUEST_KINDS}
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
    facts = Facts(interviews, requests, found, BUTTONS)
    await _employers(session, facts, [n for n in nudges if n.kind == Kind.SECOND_PERSON])
    facts.weeks = await _goal_weeks(
        session, {n.member_id for n in nudges if n.kind in _WEEK_KINDS}, zones, people, now
    )
    facts.tops = await _tops(
        session, {n.member_id for n in nudges if n.kind == Kind.TOP_TARGET}, zones, now
    )
    facts.practice = await practice.facts_of(
        session, {n.subject_id for n in nudges if n.kind == Kind.PRACTICE}
    )
    facts.quiet = await _quiet(
        session, {n.member_id for n in nudges if n.kind == Kind.WENT_QUIET}, zones, now
    )
    await peer_facts.load(session, nudges, facts, now)
    return facts


async def _tops(
    session: AsyncSession, members: set[int], zones: dict[int, ZoneInfo], now: datetime
) -> dict[int, TopTarget | None]:
    """Each member's highest-ranked target without outreach open there, ranked now."""
    found: dict[int, TopTarget | None] = {}
    if not members:
        return found
    for member in await session.scalars(select(Member).where(Member.id.in_(members))):
        today = local_today(now, zones.get(member.id, UTC))
        ranked = await targets.ranked(session, member, today)
        top = next((r for r in ranked if not r.has_open_outreach), None)
        found[member.id] = (
            None
            if top is None
            else TopTarget(top.target.company, top.standing.contacts, top.standing.first_unasked)
        )
    return found


async def _quiet(
    session: AsyncSession, members: set[int], zones: dict[int, ZoneInfo], now: datetime
) -> dict[int, QuietFacts]:
    """For members with a word for a quiet spell due: the spell they are in now, whether
    this week of theirs is paused, and how many thank-yous and requests wait on them."""
    ids = sorted(m for m in members if m in zones)
    if not ids:
        return {}
    spells = await quiet.spells(session, ids, now)
    paused = await pauses.paused_weeks(session, ids)
    owed = dict(
        (
            await session.execute(
                select(Interview.member_id, func.count())
                .where(Interview.member_id.in_(ids), Interview.thanked_at.is_(None))
                .group_by(Interview.member_id)
            )
        ).all()
    )
    waiting = dict(
        (
            await session.execute(
                select(Outreach.member_id, func.count())
                .where(Outreach.member_id.in_(ids), Outreach.status.in_(outreach.OPEN))
                .group_by(Outreach.member_id)
            )
        ).all()
    )
    return {
        m: QuietFacts(
            spells.get(m),
            week_start(now.astimezone(zones[m]).date()) in paused[m],
            owed.get(m, 0),
            waiting.get(m, 0),
        )
        for m in ids
    }


async def _employers(session: AsyncSession, facts: Facts, asking: list[Row]) -> None:
    """For 3B7's second step: which second-person nudges of the batch share an employer
    (they fold into one message), and every open request to those employers."""
    for nudge in sorted(asking, key=lambda n: n.id):
        request = facts.outreach.get(nudge.subject_id)
        if request is None or request.status != OutreachStatus.SENT.value:
            continue
        employer = contacts.company_key(facts.contacts[request.contact_id].company)
        folded = facts.folding.setdefault((request.member_id, employer or ""), [])
        if employer is not None and request.id not in folded:
            folded.append(request.id)
    wanted = {key for key in facts.folding if key[1]}
    if not wanted:
        return
    rows = await (await session.connection()).execute(
        _AT_EMPLOYERS.where(Outreach.member_id.in_({member for member, _ in wanted}))
    )
    for request_id, member_id, company in rows:
        key = (member_id, contacts.company_key(company) or "")
        if key in wanted:
            facts.employers.setdefault(key, []).append(request_id)


async def _goal_weeks(
    session: AsyncSession,
    checking: set[int],
    zones: dict[int, ZoneInfo],
    people: dict[int, Row],
    now: datetime,
) -> dict[int, GoalWeek]:
    """Each checked member's current week on their own clock, the streak it would extend
    and their reminder hour (when that week's last call falls)."""
    clocked = [
        streak_cache.Clocked(
            m, people[m].display_name, zones[m], week_start(now.astimezone(zones[m]).date())
        )
        for m in checking
        if m in people
    ]
    if not clocked:
        return {}
    weeks = await streak_cache.weeks_of(session, clocked)
    runs = await streak_cache.streaks(session, clocked, now, current=weeks)
    hours = dict(
        (
            await session.execute(
                select(Member.id, Member.reminder_hour).where(Member.id.in_(checking))
            )
        ).all()
    )
    return {
        c.member_id: GoalWeek(
            c.week, weeks[c.member_id], runs[c.member_id].current, hours[c.member_id]
        )
        for c in clocked
    }


def compose(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    """What ``nudge`` says to ``member`` now (rows as the sweep reads them), or None."""
    composer = KINDS[Kind(nudge.kind)].composer
    return composer(nudge, member, facts, tz, now) if composer is not None else None


async def on_sent(session: AsyncSession, nudge: Nudge, member: Member, now: datetime) -> None:
    """What follows a delivered nudge, as its kind says (after the 3B7 follow-up, the
    outreach rests)."""
    effect = KINDS[Kind(nudge.kind)].after_sent
    if effect is not None:
        await effect(session, nudge, member, now)


def superseded(nudges: list[Row]) -> set[int]:
    """Ids of nudges a later one of the same family about the same thing makes redundant
    (after downtime, "due tomorrow" and "overdue" for one thank-you arrive as "overdue")."""
    if len(nudges) == 1:
        return set()
    latest: dict[tuple[str, int], Row] = {}
    for nudge in sorted(nudges, key=lambda n: (n.due_at, n.id)):
        latest[(KINDS[Kind(nudge.kind)].family, nudge.subject_id)] = nudge
    keep = {n.id for n in latest.values()}
    return {n.id for n in nudges if n.id not in keep}


def combine(replies: list[Reply]) -> Reply:
    """Several nudges due for one member at once become one message."""
    if len(replies) == 1:
        return replies[0]
    text = "\n\n".join(f"{r.title}: {r.text}" if r.title else r.text for r in replies)
    actions = [a for r in replies for a in r.actions][:MAX_BUTTONS]
    return Reply(
        title=f"{len(replies)} reminders",
        text=text,
        actions=actions,
        names=tuple(n for r in replies for n in r.names),
        mentions=tuple(m for r in replies for m in r.mentions),
    )
