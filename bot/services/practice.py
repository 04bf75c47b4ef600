"""Practice conversations: requests open for the asker's week, paired two by two.

"The same week" is each member's own: a request is open from the moment it is made
until the end of its member's week on their own clock (``dates.week_end_utc``). A new
request is paired with the group's earliest request still open at that moment, so two
members pair when their weeks overlap when the second one asks — whatever their zones.

Pairing is safe with several replicas: requests of one group are taken in turn (the
group's row is locked on PostgreSQL; SQLite has one writer), the request paired with
is claimed by a conditional update of ``matched_with``, and each request is in at most
one pair (unique constraints). Nothing is held in memory between commands.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_end_utc, week_start
from bot.models import Group, Member, Nudge, PracticePair, PracticeRequest
from bot.nudges import plan
from bot.nudges.facts import PracticeFacts
from bot.nudges.kinds import Kind
from bot.services import groups

CANDIDATES = 20  # open requests looked at per pairing (a claim lost to a replica: the next)


class Asked(NamedTuple):
    """What asking did: the member's open request, its pair if it has one, and whether
    the request was there already (asked again while waiting, or paired this week)."""

    request: PracticeRequest
    pair: PracticePair | None
    again: bool


async def current(
    session: AsyncSession, member: Member, group: Group, now: datetime
) -> PracticeRequest | None:
    """The member's request in ``group`` still open now (waiting or paired)."""
    return await session.scalar(
        select(PracticeRequest).where(
            PracticeRequest.member_id == member.id,
            PracticeRequest.group_id == group.id,
            PracticeRequest.lapses_at > now,
        )
    )


async def pair_of(session: AsyncSession, request: PracticeRequest) -> PracticePair | None:
    """The request's pair; None while it waits."""
    if request.matched_with is None:
        return None
    return await session.scalar(
        select(PracticePair).where(
            or_(
                PracticePair.first_request_id == request.id,
                PracticePair.second_request_id == request.id,
            )
        )
    )


async def ask(
    session: AsyncSession,
    member: Member,
    group: Group,
    tz: ZoneInfo,
    field: str | None,
    now: datetime,
) -> Asked:
    """Open a request for the member's week, paired at once if someone is waiting."""
    await _take_turn(session, group.id)
    found = await current(session, member, group, now)
    if found is not None:
        return Asked(found, await pair_of(session, found), True)
    mine = PracticeRequest(
        workspace_id=member.workspace_id,
        group_id=group.id,
        member_id=member.id,
        week_start=week_start(local_today(now, tz)),
        field=field,
        created_at=now,
        lapses_at=week_end_utc(now, tz),
    )
    session.add(mine)
    await session.flush()
    return Asked(mine, await _pair(session, mine, now), False)


async def _pair(session: AsyncSession, mine: PracticeRequest, now: datetime) -> PracticePair | None:
    """Pair the waiting request ``mine`` with the group's earliest other request still
    waiting, if any; whichever was made first plays the job seeker. Both DMs are planned."""
    waiting = await session.scalars(
        select(PracticeRequest)
        .where(
            PracticeRequest.group_id == mine.group_id,
            PracticeRequest.matched_with.is_(None),
            PracticeRequest.lapses_at > now,
            PracticeRequest.member_id != mine.member_id,
            PracticeRequest.member_id.in_(groups.scope(mine.group_id)),
        )
        .order_by(PracticeRequest.created_at, PracticeRequest.id)
        .limit(CANDIDATES)
    )
    for other in list(waiting):
        claimed = await session.execute(
            update(PracticeRequest)
            .where(PracticeRequest.id == other.id, PracticeRequest.matched_with.is_(None))
            .values(matched_with=mine.id)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another replica paired it a moment ago
        mine.matched_with = other.id
        first, second = sorted((other, mine), key=lambda r: (r.created_at, r.id))
        pair = PracticePair(
            workspace_id=mine.workspace_id,
            group_id=mine.group_id,
            first_request_id=first.id,
            second_request_id=second.id,
            seeker_id=first.member_id,  # who asked first plays the job seeker
            contact_id=second.member_id,
            field=first.field or second.field,
            created_at=now,
        )
        session.add(pair)
        await session.flush()
        await _plan_dms(session, pair, now)
        return pair
    return None


async def _plan_dms(session: AsyncSession, pair: PracticePair, now: datetime) -> None:
    """One pairing DM to each of the two, sent by the outbox at once — each exactly once,
    keyed by the pair: its two requests and the moment it was made, so a member paired
    again the same day (their partner left) gets the new pair's DM even where a deleted
    pair's row id is used again."""
    made = f"{pair.first_request_id}-{pair.second_request_id}@{pair.created_at:%H%M%S%f}"
    await plan.insert_rows(
        session,
        [
            plan.nudge_row(
                pair.workspace_id,
                Kind.PRACTICE,
                now,
                now,
                key_day=now.date(),
                member_id=member_id,
                subject_id=pair.id,
                extra_key=f":{made}",
            )
            for member_id in (pair.seeker_id, pair.contact_id)
        ],
    )


async def withdraw(
    session: AsyncSession, member: Member, now: datetime, group: Group | None = None
) -> int:
    """Take the member's open requests (in ``group``, else everywhere) off the list, when
    they leave a group or delete their data. A pair not yet held goes with them, and the
    partner's request is waiting again at once — paired straight away if someone else
    is waiting. A pair already held stays on both records when the member leaves a
    group; deleting their data takes it (as it takes everything of theirs), and the
    partner's request waits again. Returns how many requests were withdrawn."""
    mine = select(PracticeRequest).where(
        PracticeRequest.member_id == member.id, PracticeRequest.lapses_at > now
    )
    if group is not None:
        mine = mine.where(PracticeRequest.group_id == group.id)
    withdrawn = 0
    for request in list(await session.scalars(mine.order_by(PracticeRequest.id))):
        await _take_turn(session, request.group_id)
        pair = await pair_of(session, request)
        if pair is not None and held(pair) and group is not None:
            continue
        if pair is not None:
            await session.execute(
                delete(Nudge).where(
                    Nudge.workspace_id == pair.workspace_id,
                    Nudge.kind == Kind.PRACTICE.value,
                    Nudge.subject_id == pair.id,
                )
            )
            # Deleted here, not only by the database's cascade, so the session forgets it
            # too (a new pair may be given the same id).
            await session.delete(pair)
        await session.delete(request)
        await session.flush()
        withdrawn += 1
        if pair is None:
            continue
        partner = await session.get(PracticeRequest, request.matched_with)
        if partner is not None and partner.lapses_at > now:
            partner.matched_with = None
            await session.flush()
            await _pair(session, partner, now)
    return withdrawn


async def _take_turn(session: AsyncSession, group_id: int) -> None:
    """Pairings in one group one at a time: on PostgreSQL, lock the group's row until the
    transaction ends, so a request made at the same moment on another replica sees this
    one (SQLite's single writer already takes them in turn)."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(select(Group.id).where(Group.id == group_id).with_for_update())


async def cancel(session: AsyncSession, request: PracticeRequest) -> bool:
    """Withdraw a waiting request; False when it was paired meanwhile."""
    gone = await session.execute(
        delete(PracticeRequest)
        .where(PracticeRequest.id == request.id, PracticeRequest.matched_with.is_(None))
        .execution_options(synchronize_session=False)
    )
    return gone.rowcount == 1  # type: ignore[attr-defined]


def held(pair: PracticePair) -> bool:
    """Whether the pair's conversation took place: either of the two marked it done."""
    return pair.seeker_done_at is not None or pair.contact_done_at is not None


def mark_done(pair: PracticePair, member: Member, now: datetime) -> bool:
    """Record that ``member`` held the practice conversation; False if they had said so."""
    column = "seeker_done_at" if pair.seeker_id == member.id else "contact_done_at"
    if getattr(pair, column) is not None:
        return False
    setattr(pair, column, now)
    return True


async def done_count(session: AsyncSession, member: Member) -> int:
    """Practice conversations the member marked done — counted apart from interviews."""
    return (
        await session.scalar(
            select(func.count()).where(
                or_(
                    and_(
                        PracticePair.seeker_id == member.id, PracticePair.seeker_done_at.isnot(None)
                    ),
                    and_(
                        PracticePair.contact_id == member.id,
                        PracticePair.contact_done_at.isnot(None),
                    ),
                )
            )
        )
        or 0
    )


async def facts_of(session: AsyncSession, ids: set[int]) -> dict[int, PracticeFacts]:
    """The pairs a batch of pairing DMs talks about, with both members' names and ids."""
    if not ids:
        return {}
    pairs = list(await session.scalars(select(PracticePair).where(PracticePair.id.in_(ids))))
    people_ids = {p.seeker_id for p in pairs} | {p.contact_id for p in pairs}
    people = {
        row.id: (row.user_id, row.display_name)
        for row in await session.execute(
            select(Member.id, Member.user_id, Member.display_name).where(Member.id.in_(people_ids))
        )
    }
    return {
        p.id: PracticeFacts(p.id, p.seeker_id, p.contact_id, p.field, people)
        for p in pairs
        if p.seeker_id in people and p.contact_id in people
    }
