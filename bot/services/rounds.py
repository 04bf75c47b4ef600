"""Partner rounds: starting one at a group's digest moment, the teams it holds, answers to
its check-in, and what a member leaving mid-round changes.

A round is started by whoever sends the group's digest — the one sweep holding that
digest's claim — and is keyed by the week the digest reports on, so a second try (a
replica taking over an expired claim, a restart) finds it made and does nothing. Its DMs
are nudge rows with keys of their own: planned once, sent once.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import pairing
from bot.dates import local_today, week_start
from bot.models import (
    Cadence,
    CheckIn,
    Group,
    GroupMember,
    Member,
    Nudge,
    PartnerMatch,
    PartnerRound,
)
from bot.nudges.kinds import Kind
from bot.nudges.plan import nudge_row
from bot.services import pauses, upsert, zones

DAYS = {Cadence.WEEKLY.value: 7, Cadence.FORTNIGHTLY.value: 14}
HISTORY = 3  # rounds whose partners a new round avoids
DAY = timedelta(days=1)
LEFT = ":left"  # a change's key ends with who left: ``…:left42``


class _Zoned(NamedTuple):
    """A matched member as :func:`zones.zones_of` reads one."""

    id: int
    tz: str | None


class CheckedIn(NamedTuple):
    """The digest's count of a round's check-ins: teams that checked in, of how many,
    and whether they are all pairs (else the digest speaks of teams)."""

    checked: int
    teams: int
    pairs: bool


class Current(NamedTuple):
    """A member's place in a running round: the round, their row, their partners now."""

    round: PartnerRound
    match: PartnerMatch
    partners: list[Member]


async def start_at_digest(
    session: AsyncSession,
    group_id: int,
    week: date,
    moment: datetime,
    now: datetime,
    default_tz: str,
) -> PartnerRound | None:
    """Start the group's round at the digest reporting on ``week``, due at ``moment``,
    unless rounds are off, one is still running, or it was started already. A round runs
    until the digest that ends it, whatever the cadence is now: a change of cadence
    applies from the round after the current one, so no member is ever in two rounds of
    a group at once. The round runs from ``moment`` — not from a late send — to the
    digest a round later. Returns the new round."""
    group = await session.get(Group, group_id)
    if group is None or group.partners not in DAYS:
        return None
    days = DAYS[group.partners]
    running = await session.scalar(
        select(PartnerRound.id).where(
            PartnerRound.group_id == group.id, PartnerRound.ends_week > week
        )
    )
    if running is not None:
        return None
    length = timedelta(days=days)
    made = await session.execute(
        upsert.insert(session, PartnerRound)
        .values(
            workspace_id=group.workspace_id,
            group_id=group.id,
            week=week,
            ends_week=week + length,
            size=group.partner_size,
            started_at=moment,
            midway_at=moment + length / 2,
            ends_at=moment + length,
        )
        .on_conflict_do_nothing()
    )
    if made.rowcount != 1:
        return None  # started meanwhile, by another sweep
    found = await session.scalar(
        select(PartnerRound).where(PartnerRound.group_id == group.id, PartnerRound.week == week)
    )
    assert found is not None
    taking_part = await candidates(session, group, now, default_tz)
    seed = group.id * 100_003 + week.toordinal()
    teams = pairing.match(taking_part, group.partner_size, await recent_pairs(session, group), seed)
    await _record(session, found, teams, now)
    return found


async def candidates(
    session: AsyncSession, group: Group, now: datetime, default_tz: str
) -> list[pairing.Candidate]:
    """Members opted in, active in the group, with reminders on and this week not paused;
    each with their reminder hour on the UTC clock (read in their own zone)."""
    people = (
        await session.execute(
            select(Member.id, Member.tz, Member.reminder_hour)
            .join(GroupMember, GroupMember.member_id == Member.id)
            .where(
                GroupMember.group_id == group.id,
                GroupMember.active.is_(True),
                Member.partners_on.is_(True),
                Member.reminders_on.is_(True),
            )
            .order_by(Member.id)
        )
    ).all()
    tzs = await zones.zones_of(session, people, default_tz)
    paused = await pauses.paused_weeks(session, [m.id for m in people])
    chosen = []
    for member in people:
        tz = tzs[member.id]
        today = local_today(now, tz)
        if week_start(today) in paused[member.id]:
            continue
        moment = datetime.combine(today, time(member.reminder_hour), tzinfo=tz)
        utc = moment.astimezone(now.tzinfo)
        chosen.append(pairing.Candidate(member.id, utc.hour + utc.minute / 60))
    return chosen


async def recent_pairs(session: AsyncSession, group: Group) -> set[frozenset[int]]:
    """Every two members who were partners in one of the group's last ``HISTORY`` rounds:
    in the teams as they were made and as they ended (a member who left keeps their row,
    and a partner moved to another team keeps the team they started in), so leaving and
    re-joining the group never clears whom a member was with."""
    last = (
        select(PartnerRound.id)
        .where(PartnerRound.group_id == group.id)
        .order_by(PartnerRound.week.desc())
        .limit(HISTORY)
        .subquery()
    )
    rows = await session.execute(
        select(
            PartnerMatch.round_id,
            PartnerMatch.team,
            PartnerMatch.first_team,
            PartnerMatch.member_id,
        ).where(PartnerMatch.round_id.in_(select(last.c.id)))
    )
    teams: dict[tuple[int, int], set[int]] = defaultdict(set)
    for round_id, team, first_team, member_id in rows:
        teams[(round_id, team)].add(member_id)
        if first_team is not None:
            teams[(round_id, first_team)].add(member_id)
    return {frozenset((a, b)) for team in teams.values() for a in team for b in team if a < b}


async def _record(
    session: AsyncSession, found: PartnerRound, teams: list[pairing.Team], now: datetime
) -> None:
    """The round's teams, and each member's DM now (their check-in midway is planned by
    the daily pass, :func:`checkin_rows`)."""
    rows, nudges = [], []
    for number, team in enumerate(teams, start=1):
        for member_id in team:
            rows.append(
                {
                    "workspace_id": found.workspace_id,
                    "round_id": found.id,
                    "member_id": member_id,
                    "team": number,
                }
            )
            nudges.append(_nudge(found, Kind.PARTNER_ROUND, now, now, member_id))
    if rows:
        await (await session.connection()).execute(PartnerMatch.__table__.insert(), rows)
    await _plan(session, nudges)


def _nudge(
    found: PartnerRound, kind: Kind, due: datetime, now: datetime, member_id: int, extra: str = ""
) -> dict:
    return nudge_row(
        found.workspace_id,
        kind,
        due,
        now,
        member_id=member_id,
        subject_id=found.id,
        key_day=found.week,
        about_day=found.week,
        extra_key=extra,
    )


async def _plan(session: AsyncSession, rows: list[dict]) -> None:
    """Insert nudge rows, leaving any already planned: one Core statement run for many rows
    (a multi-row VALUES is compiled afresh each time, and the ORM's bulk path handles each
    row; both cost more than the rows themselves)."""
    if rows:
        statement = upsert.insert(session, Nudge.__table__).on_conflict_do_nothing()
        await (await session.connection()).execute(statement, rows)


async def checkin_rows(
    session: AsyncSession, window: tuple[datetime, datetime], now: datetime, default_tz: str
) -> list[dict]:
    """For the daily pass: each matched member's check-in — at their reminder hour on their
    day halfway through the round — that falls in ``window`` (keys make a second planning
    harmless; whether it is still worth sending is decided at delivery)."""
    found = (
        await session.execute(
            select(PartnerRound, Member.id, Member.tz, Member.reminder_hour)
            .join(PartnerMatch, PartnerMatch.round_id == PartnerRound.id)
            .join(Member, Member.id == PartnerMatch.member_id)
            .where(
                PartnerRound.midway_at >= window[0] - DAY,
                PartnerRound.midway_at < window[1] + DAY,
                PartnerMatch.left_at.is_(None),
                Member.reminders_on.is_(True),
            )
        )
    ).all()
    people = {member_id: _Zoned(member_id, tz) for _, member_id, tz, _ in found}
    tzs = await zones.zones_of(session, people.values(), default_tz)
    rows = []
    for running, member_id, _, hour in found:
        tz = tzs[member_id]
        day = local_today(running.midway_at, tz)
        moment = datetime.combine(day, time(hour), tzinfo=tz).astimezone(now.tzinfo)
        if window[0] <= moment < window[1] and moment < running.ends_at:
            rows.append(_nudge(running, Kind.PARTNER_CHECKIN, moment, now, member_id))
    return rows


async def current(session: AsyncSession, member: Member, now: datetime) -> list[Current]:
    """The running rounds the member is in (one per group with rounds), with partners."""
    found = await session.execute(
        select(PartnerRound, PartnerMatch)
        .join(PartnerMatch, PartnerMatch.round_id == PartnerRound.id)
        .where(
            PartnerMatch.member_id == member.id,
            PartnerMatch.left_at.is_(None),
            PartnerRound.started_at <= now,
            PartnerRound.ends_at > now,
        )
        .order_by(PartnerRound.started_at)
    )
    return [
        Current(running, match, await team_of(session, match)) for running, match in found.all()
    ]


async def team_of(session: AsyncSession, match: PartnerMatch) -> list[Member]:
    """The member's partners in that round now (those of their team who have not left)."""
    partners = await session.scalars(
        select(Member)
        .join(PartnerMatch, PartnerMatch.member_id == Member.id)
        .where(
            PartnerMatch.round_id == match.round_id,
            PartnerMatch.team == match.team,
            PartnerMatch.member_id != match.member_id,
            PartnerMatch.left_at.is_(None),
        )
        .order_by(Member.display_name, Member.id)
    )
    return list(partners)


def leaver(key: str) -> int | None:
    """Who left, for a change's DM: read from its key (see :func:`on_leave`)."""
    _, found, who = key.rpartition(LEFT)
    return int(who) if found and who.isdigit() else None


def answer(match: PartnerMatch, checkin: CheckIn, now: datetime) -> None:
    """Record the member's answer to the round's check-in (a later press replaces it)."""
    match.checkin = checkin.value
    match.answered_at = now


async def on_leave(session: AsyncSession, group: Group, member: Member, now: datetime) -> None:
    """A member left the group mid-round: they leave its running round; a partner left
    alone joins another pair when there is one; everyone whose team changed is told."""
    found = await session.execute(
        select(PartnerRound, PartnerMatch)
        .join(PartnerMatch, PartnerMatch.round_id == PartnerRound.id)
        .where(
            PartnerRound.group_id == group.id,
            PartnerRound.ends_at > now,
            PartnerMatch.member_id == member.id,
            PartnerMatch.left_at.is_(None),
        )
    )
    for running, match in found.all():
        match.left_at = now
        rows = list(
            await session.scalars(
                select(PartnerMatch).where(
                    PartnerMatch.round_id == running.id, PartnerMatch.left_at.is_(None)
                )
            )
        )
        team = [r for r in rows if r.team == match.team and r.id != match.id]
        told = [r.member_id for r in team]
        if len(team) == 1:
            pairs: dict[int, list[PartnerMatch]] = defaultdict(list)
            for row in rows:
                if row.team != match.team:
                    pairs[row.team].append(row)
            joined = next((t for t, ms in sorted(pairs.items()) if len(ms) == 2), None)
            if joined is not None:
                moved = team[0]
                moved.first_team = moved.first_team or moved.team
                moved.team = joined
                moved.checkin = None  # an answer about the old team says nothing of the new
                moved.answered_at = None
                told += [r.member_id for r in pairs[joined]]
        extra = f"{LEFT}{member.id}"
        await _plan(
            session, [_nudge(running, Kind.PARTNER_CHANGED, now, now, m, extra) for m in told]
        )


async def checked_in(session: AsyncSession, group: Group, week: date) -> CheckedIn | None:
    """For the digest reporting on ``week``: of the teams of the round it ends, as they
    stand at its end, how many checked in (a current member of the team pressed "We
    checked in"); and whether every team is a pair. None without such a round."""
    ended = await session.scalar(
        select(PartnerRound.id).where(
            PartnerRound.group_id == group.id, PartnerRound.ends_week == week
        )
    )
    if ended is None:
        return None
    teams = await session.execute(
        select(
            PartnerMatch.team,
            func.max(case((PartnerMatch.checkin == CheckIn.MET.value, 1), else_=0)),
            func.count(),
        )
        .where(PartnerMatch.round_id == ended, PartnerMatch.left_at.is_(None))
        .group_by(PartnerMatch.team)
        .having(func.count() > 1)  # one left alone with nobody to join is no team
    )
    found = teams.all()
    return CheckedIn(
        sum(1 for _, met, _ in found if met), len(found), all(size == 2 for *_, size in found)
    )


def team_key(member_ids: Iterable[int]) -> str:
    """A team as a check-in button carries it: a short checksum of its members' ids (a
    Discord button's id is at most 100 characters), so a press after the team changed is
    told apart from one about the team as it is."""
    return f"{zlib.crc32('-'.join(str(i) for i in sorted(member_ids)).encode()):08x}"
