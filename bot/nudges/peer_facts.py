"""The facts partner-round and plan DMs need, read for a whole batch at once: each
recipient's place in their round, their partners' goals, last week's counts and plans,
and each recipient's plan for the week a prompt is about."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today, week_start
from bot.models import Group, Member, Nudge, PartnerMatch, PartnerRound, Plan
from bot.nudges.facts import Facts, PartnerFacts, PlanFacts, RoundFacts
from bot.nudges.kinds import Kind, Subject, about
from bot.services import goals, groups, pauses, plans, rounds, tallies, zones
from bot.streaks import WEEK, Tally

ROUND_KINDS = frozenset(about(Subject.ROUND))
PLAN_KINDS = frozenset(about(Subject.PLAN))


async def load(session: AsyncSession, nudges: Iterable[Row], facts: Facts, now: datetime) -> None:
    """Fill ``facts.rounds`` and ``facts.plans`` for the batch's round and plan nudges."""
    nudges = list(nudges)
    wanted = {(n.member_id, n.subject_id): n for n in nudges if n.kind in ROUND_KINDS}
    if wanted:
        await _rounds(session, wanted, facts, now)
    asked = {(n.member_id, n.about_day) for n in nudges if n.kind in PLAN_KINDS}
    if asked:
        facts.plans = await _plans(session, asked)


async def _rounds(
    session: AsyncSession, wanted: dict[tuple[int, int], Row], facts: Facts, now: datetime
) -> None:
    round_ids = {r for _, r in wanted}
    found = await session.execute(
        select(PartnerRound, Group)
        .join(Group, Group.id == PartnerRound.group_id)
        .where(PartnerRound.id.in_(round_ids))
    )
    rows = found.all()
    held = {r.id: (r, group.tz) for r, group in rows}
    where = {r.id: groups.channel(group) for r, group in rows}
    matches = (
        await session.execute(
            select(PartnerMatch, Member)
            .join(Member, Member.id == PartnerMatch.member_id)
            .where(PartnerMatch.round_id.in_(round_ids))
        )
    ).all()
    teams: dict[tuple[int, int], list[tuple[PartnerMatch, Member]]] = {}
    mine: dict[tuple[int, int], PartnerMatch] = {}
    for match, member in matches:
        mine[(member.id, match.round_id)] = match
        if match.left_at is None:
            teams.setdefault((match.round_id, match.team), []).append((match, member))
    names = {member.id: member.display_name for _, member in matches}
    sent = await session.execute(  # whose midway check-in went out (a round id is unique)
        select(Nudge.member_id, Nudge.subject_id).where(
            Nudge.kind == Kind.PARTNER_CHECKIN.value,
            Nudge.subject_id.in_(round_ids),
            Nudge.sent_at.is_not(None),
        )
    )
    asked = {(member_id, round_id) for member_id, round_id in sent}
    partners: dict[int, Member] = {}
    for (member_id, round_id), _ in wanted.items():
        match = mine.get((member_id, round_id))
        if match is not None:
            for other, person in teams.get((round_id, match.team), []):
                if other.member_id != member_id:
                    partners[person.id] = person
    shown = await _partners(session, list(partners.values()), held, now)
    for (member_id, round_id), nudge in wanted.items():
        match = mine.get((member_id, round_id))
        if match is None or round_id not in held:
            continue
        team = teams.get((round_id, match.team), [])
        leaver = rounds.leaver(nudge.key) if nudge.kind == Kind.PARTNER_CHANGED else None
        facts.rounds[(member_id, round_id)] = RoundFacts(
            match_id=match.id,
            ends_at=held[round_id][0].ends_at,
            checkin=match.checkin,
            left=match.left_at is not None,
            partners=tuple(
                shown[p.id]
                for m, p in sorted(team, key=lambda t: (t[1].display_name, t[1].id))
                if p.id != member_id
            ),
            departed=names.get(leaver) if leaver is not None else None,
            team=rounds.team_key(p.id for _, p in team),
            channel=where[round_id],
            asked=(member_id, round_id) in asked,
        )


async def _partners(
    session: AsyncSession,
    people: list[Member],
    held: dict[int, tuple[PartnerRound, str]],
    now: datetime,
) -> dict[int, PartnerFacts]:
    """Each partner's goals for their current week, last week's counts and this week's plan,
    by their own calendar (their zone, else their first group's)."""
    if not people:
        return {}
    fallback = next(iter(held.values()))[1]
    tzs = await zones.zones_of(session, people, fallback)
    weeks = {p.id: week_start(local_today(now, tzs[p.id])) for p in people}
    ids = [p.id for p in people]
    history = await goals.histories(session, ids)
    first = min(weeks.values()) - WEEK
    last = max(weeks.values()) - timedelta(days=1)
    counted = await tallies.tallies(session, ids, first, last)
    plans: dict[int, tuple[date, str]] = {}
    found = await session.execute(
        select(Plan.member_id, Plan.week, Plan.text).where(
            Plan.member_id.in_(ids), Plan.week >= first
        )
    )
    for member_id, week, text in found:
        if week == weeks[member_id]:  # this week's plan only: last week's is over
            plans[member_id] = (week, text)
    return {
        p.id: PartnerFacts(
            name=p.display_name,
            user_id=p.user_id,
            goals=history[p.id].for_week(weeks[p.id]),
            last_week=counted.get(p.id, {}).get(weeks[p.id] - WEEK, Tally()),
            plan=plans[p.id][1] if p.id in plans else None,
        )
        for p in people
    }


async def _plans(
    session: AsyncSession, asked: set[tuple[int, date]]
) -> dict[tuple[int, date], PlanFacts]:
    members = {m for m, _ in asked}
    found = await session.execute(select(Member.id, Member.plans_on).where(Member.id.in_(members)))
    on: dict[int, bool] = {member_id: plans_on for member_id, plans_on in found}
    written = {
        (p.member_id, p.week): p
        for p in await session.scalars(
            select(Plan).where(Plan.member_id.in_(members), Plan.week.in_({w for _, w in asked}))
        )
    }
    paused = await pauses.paused_weeks(session, sorted(members))
    in_rounds = set(await session.scalars(plans.in_rounds().where(Member.id.in_(members))))
    result = {}
    for key in asked:
        plan = written.get(key)
        result[key] = PlanFacts(
            plan.id if plan else None,
            plan.text if plan else None,
            plan.kept if plan else None,
            bool(on.get(key[0], False)) and key[1] not in paused[key[0]],  # away: no asking
            key[0] in in_rounds,
        )
    return result
