"""A member's target employers, ranked the LAMP way (S. Dalton, *The 2-Hour Job Search*):
Motivation first, then Posting, then Advocacy — and Advocacy is never typed in: it is
read from what the member already logged (contacts there and how they know them,
people introduced to them there, conversations held there).

Targets are private to their member and count toward nothing public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import companies
from bot.models import (
    Contact,
    HowKnown,
    Interview,
    Member,
    Outreach,
    OutreachStatus,
    Posting,
    Target,
)
from bot.services import outreach

MAX_TARGETS = 500  # a list is for choosing; Dalton suggests about 40
LIST_SIZE = 10  # a list worth the name, as the digest counts them
# Ties that make someone likely to speak up for the member (LAMP's "advocacy").
WARM = frozenset(
    {HowKnown.FRIEND, HowKnown.FAMILY, HowKnown.ALUMNI, HowKnown.COLLEAGUE, HowKnown.REFERRAL}
)
POSTING_ORDER = {Posting.YES.value: 0, Posting.UNKNOWN.value: 1, Posting.NO.value: 2}


class Advocacy(IntEnum):
    """How strongly someone at an employer may speak for the member, from what is logged."""

    NONE = 0  # no contact there
    CONTACT = 1  # contacts there, none known well (cold, imported, other)
    WARM = 2  # a friend, family member, alumnus, colleague or referral works there
    ADVOCATE = 3  # a conversation held there, or someone introduced the member to them


@dataclass
class Standing:
    """What the member's logs say about one employer."""

    contacts: int = 0
    warm: int = 0
    introduced: int = 0  # contacts there someone introduced the member to
    open_sent: list[date] = field(default_factory=list)  # days of requests awaiting a reply
    scheduled: list[date] = field(default_factory=list)  # days of calls still ahead
    interviews: int = 0
    thanks_pending: int = 0
    unasked: int = 0  # contacts there the member never wrote to
    first_unasked: str | None = None  # the first of them by name

    @property
    def advocacy(self) -> Advocacy:
        if self.interviews or self.introduced:
            return Advocacy.ADVOCATE
        if self.warm:
            return Advocacy.WARM
        return Advocacy.CONTACT if self.contacts else Advocacy.NONE


@dataclass(frozen=True)
class Ranked:
    target: Target
    standing: Standing

    @property
    def has_open_outreach(self) -> bool:
        return bool(self.standing.open_sent or self.standing.scheduled)


def rank_key(target: Target, advocacy: Advocacy) -> tuple[int, int, int, str]:
    """LAMP's order: most motivated first, then a posting (yes, unknown, no), then the
    strongest advocacy; ties by name, so the list reads the same every time."""
    return (-target.motivation, POSTING_ORDER[target.posting], -advocacy, target.company_key)


async def all_of(session: AsyncSession, member: Member) -> list[Target]:
    return list(
        await session.scalars(
            select(Target).where(Target.member_id == member.id).order_by(Target.id)
        )
    )


async def find(session: AsyncSession, member: Member, company: str) -> Target | None:
    key = companies.company_key(company)
    return await session.scalar(
        select(Target).where(Target.member_id == member.id, Target.company_key == key)
    )


def add(
    session: AsyncSession,
    member: Member,
    company: str,
    motivation: int,
    posting: str,
    now: datetime,
) -> Target:
    target = Target(
        workspace_id=member.workspace_id,
        member_id=member.id,
        company=company,
        motivation=motivation,
        posting=posting,
        created_at=now,
    )
    session.add(target)
    return target


async def ranked(session: AsyncSession, member: Member, today: date) -> list[Ranked]:
    """The member's targets in LAMP order, each with what the logs say about it."""
    targets = await all_of(session, member)
    standings = await standings_for(session, member, today) if targets else {}
    found = [Ranked(t, standings.get(t.company_key, Standing())) for t in targets]
    found.sort(key=lambda r: rank_key(r.target, r.standing.advocacy))
    return found


async def standings_for(session: AsyncSession, member: Member, today: date) -> dict[str, Standing]:
    """Per employer on the member's list, the member's contacts, requests and
    conversations there: three reads joined to the list by the contacts' employer index,
    counted by the database, whatever the number of targets or contacts."""
    found: dict[str, Standing] = defaultdict(Standing)
    listed = and_(Target.member_id == member.id, Target.company_key == Contact.company_key)
    mine = (Contact.member_id == member.id,)
    unasked = ~exists().where(
        Outreach.contact_id == Contact.id, Outreach.member_id == Contact.member_id
    )
    people = await session.execute(
        select(
            Contact.company_key,
            func.count(),
            func.sum(case((Contact.how_known.in_([h.value for h in WARM]), 1), else_=0)),
            func.sum(case((Contact.referred_by_id.is_not(None), 1), else_=0)),
            func.sum(case((unasked, 1), else_=0)),
            func.min(case((unasked, Contact.name))),
        )
        .join(Target, listed)
        .where(*mine)
        .group_by(Contact.company_key)
    )
    for key, count_, warm, introduced, never, first in people:
        standing = found[key]
        standing.contacts, standing.warm, standing.introduced = count_, warm, introduced
        standing.unasked, standing.first_unasked = never, first
    requests = await session.execute(
        select(Contact.company_key, Outreach.status, Outreach.sent_on, Outreach.scheduled_for)
        .join(Contact, Contact.id == Outreach.contact_id)
        .join(Target, listed)
        .where(Outreach.member_id == member.id, Outreach.status.in_(outreach.OPEN), *mine)
    )
    for key, status, sent_on, scheduled_for in requests:
        if status == OutreachStatus.SENT.value and outreach.awaiting(sent_on, today):
            found[key].open_sent.append(sent_on)
        elif status == OutreachStatus.SCHEDULED.value and scheduled_for and scheduled_for >= today:
            found[key].scheduled.append(scheduled_for)
    held = await session.execute(
        select(
            Contact.company_key,
            func.count(),
            func.sum(case((Interview.thanked_at.is_(None), 1), else_=0)),
        )
        .join(Contact, Contact.id == Interview.contact_id)
        .join(Target, listed)
        .where(Interview.member_id == member.id, *mine)
        .group_by(Contact.company_key)
    )
    for key, interviews, pending in held:
        found[key].interviews, found[key].thanks_pending = interviews, pending
    return found


def next_step_date(sent: list[date], today: date) -> date | None:
    """The next 3B7 step among requests sent on ``sent``: a second person after three
    business days, one follow-up after seven; None once every step is behind."""
    steps = [d for sent_on in sent for d in outreach.follow_up_dates(sent_on) if d >= today]
    return min(steps, default=None)
