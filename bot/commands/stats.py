"""/leaderboard, /digest and /mystats: consistency made visible — counts only, never notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import charts, wording
from bot.commands.goals import week_and_streak
from bot.commands.groups import home_group
from bot.context import Context
from bot.dates import week_start
from bot.registry import Command, Option, Registry
from bot.replies import Attachment, Field, Reply, Visibility
from bot.services import leaderboard, plans, practice, stats, tallies
from bot.services.digest import CHART_WEEKS
from bot.services.leaderboard import View
from bot.streaks import WEEK, Tally

TITLES = {
    View.WEEK: "This week's outreach (✓ = every goal met)",
    View.STREAK: "Streaks: weeks in a row with every goal met",
    View.ALL: "Interviews, all time",
}


async def show_leaderboard(ctx: Context, args: dict[str, Any]) -> Reply:
    view = View(args["view"] or View.WEEK.value)
    board = await leaderboard.entries(ctx.session, await home_group(ctx), ctx.now, view)
    return Reply(title=TITLES[view], text=leaderboard.render(board), names=leaderboard.names(board))


async def mystats(ctx: Context, args: dict[str, Any]) -> Reply:
    me = ctx.member
    week = week_start(ctx.today)
    totals = await stats.totals(ctx.session, me, ctx.today)
    this_week, streak = await week_and_streak(ctx)
    chart_weeks = [week - WEEK * n for n in range(CHART_WEEKS - 1, -1, -1)]
    counted = (await tallies.tallies(ctx.session, [me.id], chart_weeks[0], tallies.week_end(week)))[
        me.id
    ]
    png = charts.small_bars(
        chart_weeks,
        [counted.get(w, Tally()).outreach for w in chart_weeks],
        "Your outreach per week",
        goal=this_week.goals.outreach,
    )
    return Reply(
        title="Your stats",
        text="This week: " + wording.progress(this_week, ctx.today),
        fields=[
            Field("Outreach sent", str(totals.outreach), inline=True),
            Field("Interviews held", str(totals.interviews), inline=True),
            Field("Referrals collected", str(totals.referrals), inline=True),
            Field("Streak", wording.streak(streak), inline=True),
            Field(
                "Outreach → interview",
                f"{stats.percent(totals.interview_rate)} ({totals.led_to_interview} of "
                f"{totals.outreach})",
                inline=True,
            ),
            Field(
                "Thank-yous on time",
                f"{stats.percent(totals.on_time_rate)} ({totals.thanked_on_time} of "
                f"{totals.thanks_owed})",
                inline=True,
            ),
            await plans_field(ctx, week),
            await _practice(ctx),
        ],
        image=Attachment(f"mystats-{ctx.today.isoformat()}.png", png, "image/png"),
    )


async def _practice(ctx: Context) -> Field:
    """Practice conversations held, on a line of their own: they are rehearsals, never
    counted as interviews, towards goals or streaks."""
    held = await practice.done_count(ctx.session, ctx.member)
    return Field("Practice conversations", str(held), inline=True)


async def plans_field(ctx: Context, week: date) -> Field:
    """Plans kept over the last weeks, of those the member said something about."""
    kept, answered = await plans.kept_lately(ctx.session, ctx.member, week)
    said = f"{kept} of {answered} answered" if answered else "none answered yet"
    return Field(f"Plans kept ({plans.HISTORY_WEEKS} weeks)", said, inline=True)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="leaderboard",
            group=True,
            description="Post the group's leaderboard here: this week, streaks or all time",
            handler=show_leaderboard,
            options=(
                Option("view", "Which board (default: week)", choices=tuple(v.value for v in View)),
            ),
            example="/leaderboard view=streak",
            visibility=Visibility.PUBLIC,
        )
    )
    registry.add(
        Command(
            name="mystats",
            description="Your totals, streaks, rates and an 8-week chart (only you see it)",
            handler=mystats,
            example="/mystats",
        )
    )
