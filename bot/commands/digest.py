"""/digest and the weekly post: a group's last week in counts, with a chart.

The same reply is posted by the sweep on the group's digest day and by an admin's
``/digest``; the numbers come from :mod:`bot.services.digest`, the words from here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts, pages, wording
from bot.commands.groups import home_group
from bot.context import Context
from bot.dates import format_date
from bot.models import Group
from bot.registry import Command, Registry
from bot.replies import Attachment, Field, Reply, Visibility
from bot.services import digest, groups, leaderboard, plans, rounds, targets, wins
from bot.streaks import WEEK


async def digest_reply(
    session: AsyncSession, group: Group, now: datetime, week: date | None = None
) -> Reply:
    """The digest of ``week``, by default the group's week before ``now``."""
    found = await digest.last_week(session, group, now, week)
    title = f"Weekly digest — week of {format_date(found.week)}"
    if not found.shown:
        return Reply(
            title=title,
            text="No members on the leaderboard yet. Use any peerpath command here to join.",
        )
    png = await charts.render(
        found.chart_weeks, found.chart_outreach, f"#{group.name or 'group'} outreach per week"
    )
    winners = await wins.shared_in_week(session, group, found.week)
    members = wording.noun(found.counted, "member")
    goals_line = f"{found.met} of {found.counted} {members} met every goal"
    if found.paused:
        goals_line += f" ({found.paused} on pause)"
    return Reply(
        title=title,
        text=encouragement(found.met, found.counted, found.outreach),
        fields=[
            Field("Outreach last week", leaderboard.render(found.board, pages.FIELD_BUDGET)),
            Field("Goals", goals_line),
            Field(
                "Group totals",
                f"{found.outreach} outreach · {wording.plural(found.interviews, 'interview')} · "
                f"{wording.plural(found.thanked_on_time, 'thank-you')} on time · "
                f"{wording.plural(found.referrals, 'referral')} collected",
            ),
            *_listing(found.listing, found.shown),
            *_wins(winners),
            *await peer_fields(session, group, found.week),
            Field(
                "Longest streaks",
                pages.fit(
                    [f"{name} — {wording.weeks(weeks)}" for name, weeks in found.top],
                    pages.FIELD_BUDGET,
                ).text
                or "No streaks running yet — this week can start one.",
            ),
        ],
        image=Attachment(f"digest-{group.id}-{found.week.isoformat()}.png", png, "image/png"),
        names=leaderboard.names(found.board)
        + tuple(name for name, _ in found.top)
        + tuple(name for name, _ in winners),
    )


def _wins(found: list[tuple[str, int]]) -> list[Field]:
    """The week's shared wins: how many, and whose (each member chose to share them)."""
    if not found:
        return []
    total = sum(count for _, count in found)
    who = pages.fit(
        [f"{wording.member_name(name)} — {count}" for name, count in found], pages.FIELD_BUDGET
    ).text
    return [Field(f"{wording.plural(total, 'win')} shared", who)]


async def peer_fields(session: AsyncSession, group: Group, week: date) -> list[Field]:
    """How many teams of the round that ends now checked in, and how many of the week's
    plans were made and kept — counts only, and only when there are any."""
    fields = []
    teams = await rounds.checked_in(session, group, week)
    if teams is not None and teams.teams:
        unit = "pair" if teams.pairs else "team"  # a trio is a team, not a pair
        fields.append(
            Field(
                "Partner check-ins",
                f"{teams.checked} of {wording.plural(teams.teams, unit)} checked in",
            )
        )
    made, answered, kept = await plans.week_counts(session, group, week)
    if made:
        said = f"{wording.plural(made, 'plan')} made, {kept} kept"
        if not answered:  # an unanswered plan is not a broken one, nor a kept one
            said = f"{wording.plural(made, 'plan')} made; none answered yet"
        elif answered < made:
            said = f"{wording.plural(made, 'plan')} made; {kept} of {answered} answered kept"
        fields.append(Field("Weekly plans", said))
    return fields


def _listing(count: int, shown: int) -> list[Field]:
    """How many keep a target list, when any do (a count: whose, and what is on it, stay
    private)."""
    if not count:
        return []
    return [
        Field(
            "Target lists",
            f"{count} of {wording.plural(shown, 'member')} keep a list of "
            f"{targets.LIST_SIZE} or more employers to learn about (/targets).",
        )
    ]


def encouragement(met: int, counted: int, outreach: int) -> str:
    """A short, honest line: celebrate a strong week, lower the bar after a quiet one."""
    if counted and met == counted:
        return "Everyone met their goals last week. That is what consistency looks like — again!"
    if counted and met * 2 > counted:
        return "More than half of you met every goal. One short message each today keeps it going."
    if outreach:
        return (
            f"{wording.plural(outreach, 'request')} went out last week — each one is a "
            "conversation that can happen. Pick one name today and ask for 20 minutes."
        )
    return "A quiet week. Restart small: one message to someone whose job you are curious about."


async def post_digest(ctx: Context, args: dict[str, Any]) -> Reply:
    """Last week's digest, posted now — or, in a group's first week, a word that there is
    no completed week to report yet (the same rule as the scheduled post)."""
    group = await home_group(ctx)
    week = digest.week_before(group, ctx.now)
    if not groups.reports(group, week):
        return Reply(
            title="No completed week yet",
            text=f"{groups.channel(group)} became a group during the week of "
            f"{format_date(week + WEEK)}, so there is no completed week to report yet. Its "
            f"first digest reports that week once it is over — {groups.digest_when(group)}.",
            visibility=Visibility.EPHEMERAL,
        )
    return await digest_reply(ctx.session, group, ctx.now, week)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="digest",
            group=True,
            description="Post last week's group digest here now",
            handler=post_digest,
            example="/digest",
            visibility=Visibility.PUBLIC,
            admin_only=True,
        )
    )
