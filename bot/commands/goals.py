"""/goal and /pause: weekly targets, progress against them, and a vacation that keeps a streak."""

from __future__ import annotations

from typing import Any

from bot import wording
from bot.context import Context
from bot.dates import format_date, week_start
from bot.errors import UserError
from bot.nudges import recurring
from bot.registry import Command, Option, OptionType, Registry
from bot.replies import Field, Reply
from bot.services import goals, pauses, streak_cache
from bot.streaks import WEEK, Goals, Streak, Week

GOAL_EXAMPLE = "/goal outreach=5 interviews=1"
PAUSE_EXAMPLE = "/pause weeks=1"
PAUSE_AHEAD_WEEKS = 12


async def goal(ctx: Context, args: dict[str, Any]) -> Reply:
    week = week_start(ctx.today)
    changed = args["outreach"] is not None or args["interviews"] is not None
    if changed:
        current = await goals.goals_for(ctx.session, ctx.member, week)
        current = Goals(
            args["outreach"] if args["outreach"] is not None else current.outreach,
            args["interviews"] if args["interviews"] is not None else current.interviews,
        )
        await goals.set_goals(ctx.session, ctx.member, week, current, personal=True, now=ctx.now)
        await recurring.plan_checkins_for(ctx.session, ctx.member, ctx.now, ctx.default_tz)
    this_week, streak = await week_and_streak(ctx)
    fields = [Field("Streak", wording.streak(streak), inline=True)]
    if this_week.paused:
        fields.append(Field("Paused", "This week is paused: no nudges, and your streak waits."))
    elif not changed and await goals.latest(ctx.session, ctx.member) is None:
        fields.append(
            Field(
                "Goal check-ins",
                "These are the default goals. Set your own (e.g. /goal outreach=5 interviews=1) "
                "or join a group to get a midweek check-in and a Friday last call.",
            )
        )
    return Reply(
        title="Goals updated" if changed else "This week",
        text=wording.progress(this_week, ctx.today),
        fields=fields,
    )


async def week_and_streak(ctx: Context) -> tuple[Week, Streak]:
    """The member's week in progress and their streak, on their own clock."""
    person = streak_cache.Clocked(
        ctx.member.id, ctx.member.display_name, ctx.tz, week_start(ctx.today)
    )
    week, standing = await streak_cache.own_week(ctx.session, person)
    cached = {ctx.member.id: standing} if standing is not None else {}
    streaks = await streak_cache.streaks(
        ctx.session, [person], ctx.now, current={ctx.member.id: week}, cached=cached
    )
    return week, streaks[ctx.member.id]


async def pause(ctx: Context, args: dict[str, Any]) -> Reply:
    this_week = week_start(ctx.today)
    first = week_start(args["from"]) if args["from"] is not None else this_week
    if first < this_week:
        raise UserError("Past weeks can't be paused — pauses are planned ahead.", PAUSE_EXAMPLE)
    if first > this_week + WEEK * PAUSE_AHEAD_WEEKS:
        raise UserError(f"Pauses can start at most {PAUSE_AHEAD_WEEKS} weeks ahead.", PAUSE_EXAMPLE)
    count = args["weeks"]
    if count == 0:
        removed = await pauses.unpause(ctx.session, ctx.member, this_week)
        return Reply(
            title="Pause cancelled",
            text=f"Cancelled {wording.plural(removed, 'upcoming paused week')}. Welcome back!",
        )
    weeks = [first + WEEK * n for n in range(count)]
    refusal = await pauses.pause(ctx.session, ctx.member, weeks, ctx.now)
    if refusal is not None:
        raise UserError(refusal, PAUSE_EXAMPLE)
    until = weeks[-1] + WEEK
    which = "This week" if first == this_week else f"The week of {format_date(first)}"
    return Reply(
        title="Paused",
        text=f"Enjoy the break. {which}{' and the next' if count == 2 else ''} won't count for "
        "or against your streak, and "
        f"goal nudges stay quiet until {format_date(until)}. /pause weeks=0 cancels.",
    )


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="goal",
            description="See this week's progress, or set your weekly outreach and interview goals",
            handler=goal,
            options=(
                Option(
                    "outreach",
                    "Outreach requests per week, 1-100",
                    OptionType.INTEGER,
                    min_value=1,
                    max_value=100,
                ),
                Option(
                    "interviews",
                    "Interviews per week, 0-20",
                    OptionType.INTEGER,
                    min_value=0,
                    max_value=20,
                ),
            ),
            example=GOAL_EXAMPLE,
        )
    )
    registry.add(
        Command(
            name="pause",
            description="Pause 1-2 weeks for a break: your streak neither breaks nor grows",
            handler=pause,
            options=(
                Option(
                    "weeks",
                    "How many weeks, 1 or 2 (0 cancels upcoming pauses)",
                    OptionType.INTEGER,
                    required=True,
                    min_value=0,
                    max_value=pauses.MAX_CONSECUTIVE_PAUSES,
                ),
                Option("from", "First day of the break (default: this week)", OptionType.DATE),
            ),
            example=PAUSE_EXAMPLE,
        )
    )
