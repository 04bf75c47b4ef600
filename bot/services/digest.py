"""The group's weekly post: last week's board, goals met, totals, streaks and a chart.

"Last week" is the group's last completed ISO week on the group's clock, and
each member's logs are placed in it by the dates on their own calendar. Only
members on the leaderboard appear — in names and in the totals — so opting out
keeps a member's numbers out of every public post.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts, pages
from bot.dates import format_date, local_today, week_start
from bot.models import Group, Interview
from bot.replies import Attachment, Field, Reply, Visibility
from bot.services import groups, leaderboard, streak_cache, tallies
from bot.services.scope import Scope, batches
from bot.streaks import WEEK, Tally

CHART_WEEKS = 8
TOP_STREAKS = 3


async def build_digest(session: AsyncSession, group: Group, now: datetime) -> Reply:
    """The digest for the week before ``now`` (the scheduler posts it on the digest day)."""
    tz = ZoneInfo(group.tz)
    last_week = week_start(local_today(now, tz)) - WEEK
    people, weeks, cached = await leaderboard.board(
        session, group, now, week=last_week, standings_too=True
    )
    ids = [p.member_id for p in people]
    members = groups.scope(group)
    title = f"Weekly digest — week of {format_date(last_week)}"
    if not people:
        return Reply(
            title=title,
            text="No members on the leaderboard yet. Use any peerpath command here to join.",
            visibility=Visibility.PUBLIC,
        )
    board = leaderboard.week_entries(people, weeks)
    paused = sum(1 for w in weeks.values() if w.paused)
    counted = len(people) - paused
    met = sum(1 for w in weeks.values() if w.met and not w.paused)
    outreach = sum(w.tally.outreach for w in weeks.values())
    interviews = sum(w.tally.interviews for w in weeks.values())
    referrals, thanked = await _interview_totals(session, members, people, last_week)
    found = await streak_cache.streaks(session, people, now, cached=cached)
    top = sorted(
        (p for p in people if found[p.member_id].current > 0),
        key=lambda p: (
            -found[p.member_id].current,
            -found[p.member_id].longest,
            leaderboard.display_name(p.name).casefold(),
        ),
    )[:TOP_STREAKS]
    chart_weeks = [last_week - WEEK * n for n in range(CHART_WEEKS - 1, -1, -1)]
    history = await tallies.tallies(session, ids, chart_weeks[0], last_week + timedelta(days=6))
    per_week = [sum(history[i].get(w, Tally()).outreach for i in ids) for w in chart_weeks]
    png = await charts.render(chart_weeks, per_week, f"#{group.name or 'group'} outreach per week")
    streaks = [
        f"{leaderboard.shown_name(p.name)} — {leaderboard.weeks_text(found[p.member_id].current)}"
        for p in top
    ]
    goals_line = f"{met} of {counted} members met every goal"
    if paused:
        goals_line += f" ({paused} on pause)"
    return Reply(
        title=title,
        text=encouragement(met, counted, outreach),
        fields=[
            Field("Outreach last week", leaderboard.render(board, pages.FIELD_BUDGET)),
            Field("Goals", goals_line),
            Field(
                "Group totals",
                f"{outreach} outreach · {interviews} interviews · "
                f"{thanked} thank-yous on time · {referrals} referrals collected",
            ),
            Field(
                "Longest streaks",
                pages.fit(streaks, pages.FIELD_BUDGET).text
                or "No streaks running yet — this week can start one.",
            ),
        ],
        image=Attachment(f"digest-{group.id}-{last_week.isoformat()}.png", png, "image/png"),
        visibility=Visibility.PUBLIC,
        names=leaderboard.names(board) + tuple(leaderboard.shown_name(p.name) for p in top),
    )


async def _interview_totals(
    session: AsyncSession, scope: Scope, people: list[streak_cache.Clocked], week: date
) -> tuple[int, int]:
    """Referrals collected in interviews held that week; thank-yous sent that week on time.

    Only members shown on the board count (``people``), like every other public number.
    """
    shown = {p.member_id: p.tz for p in people}
    # The week's bounds differ by member time zone; read the widest window, then check each.
    start = datetime.combine(week, time(), tzinfo=ZoneInfo("Etc/GMT-14"))
    end = datetime.combine(week + WEEK, time(), tzinfo=ZoneInfo("Etc/GMT+12"))
    referrals = thanked = 0
    for batch in batches(scope):
        held = await session.execute(
            select(Interview.member_id, func.sum(Interview.referral_count))
            .where(
                Interview.member_id.in_(batch),
                Interview.held_on >= week,
                Interview.held_on < week + WEEK,
            )
            .group_by(Interview.member_id)
        )
        referrals += sum(int(total) for member_id, total in held if member_id in shown)
        notes = await session.execute(
            select(Interview.member_id, Interview.thanked_at).where(
                Interview.member_id.in_(batch),
                Interview.thanked_at >= start,
                Interview.thanked_at < end,
                Interview.thanked_at <= Interview.thank_you_due,
            )
        )
        for member_id, thanked_at in notes:
            tz = shown.get(member_id)
            if tz is not None and week_start(thanked_at.astimezone(tz).date()) == week:
                thanked += 1
    return referrals, thanked


def encouragement(met: int, counted: int, outreach: int) -> str:
    """A short, honest line: celebrate a strong week, lower the bar after a quiet one."""
    if counted and met == counted:
        return "Everyone met their goals last week. That is what consistency looks like — again!"
    if counted and met * 2 >= counted:
        return "More than half of you met every goal. One short message each today keeps it going."
    if outreach:
        return (
            f"{outreach} requests went out last week — each one is a conversation that can "
            "happen. Pick one name today and ask for 20 minutes."
        )
    return "A quiet week. Restart small: one message to someone whose job you are curious about."
