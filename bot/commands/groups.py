"""/group-setup, /join and /leave: a channel becomes a group's home; members come and go."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot import wording
from bot.context import Context
from bot.dates import WEEKDAYS, format_date, week_start
from bot.errors import UserError
from bot.models import Cadence, Group, Member
from bot.nudges import plan, recurring
from bot.registry import Command, Option, OptionType, Registry
from bot.replies import Field, Reply
from bot.services import goals, groups, practice, rounds, streak_cache, zones
from bot.streaks import Goals
from bot.timezones import zone

SETUP_EXAMPLE = (
    "/group-setup tz=Europe/Berlin digest-day=monday digest-hour=9 outreach=5 interviews=1"
)
NOT_A_GROUP = (
    "This channel isn't a peerpath group. Run the command in your group's channel — or, "
    "if you are an admin, make this channel one with /group-setup."
)


async def home_group(ctx: Context) -> Group:
    """The group whose channel this is — or a refusal naming the channel(s) where the
    member's group commands work. A group command never acts on a group elsewhere."""
    if ctx.group is not None:
        return ctx.group
    mine = await groups.groups_of(ctx.session, ctx.member)
    if not mine:
        raise UserError(NOT_A_GROUP)
    names = [groups.channel(g) for g in mine]
    where = (
        f"Your group's channel is {names[0]}"
        if len(names) == 1
        else f"Your groups' channels are {', '.join(names[:-1])} and {names[-1]}"
    )
    command = f"/{ctx.command}" if ctx.command else "the command"
    raise UserError(
        f"This channel isn't a peerpath group, so {command} does nothing here. {where}: "
        f"run {command} there."
    )


async def group_setup(ctx: Context, args: dict[str, Any]) -> Reply:
    channel = ctx.invocation.channel_id
    if not channel:
        raise UserError("Run /group-setup in the channel that should be the group's home.")
    changes: dict[str, object] = {}
    if args["tz"] is not None:
        changes["tz"] = zone(args["tz"]).key
    if args["digest-day"] is not None:
        changes["digest_day"] = WEEKDAYS.index(args["digest-day"])
    if args["digest-hour"] is not None:
        changes["digest_hour"] = args["digest-hour"]
    if args["outreach"] is not None:
        changes["outreach_goal"] = args["outreach"]
    if args["interviews"] is not None:
        changes["interview_goal"] = args["interviews"]
    if args["partners"] is not None:
        changes["partners"] = args["partners"]
    if args["partner-size"] is not None:
        changes["partner_size"] = int(args["partner-size"])
    followed = await _zones_followed(ctx, channel) if "tz" in changes else {}
    group, created = await groups.setup(
        ctx.session,
        ctx.workspace,
        channel,
        ctx.invocation.channel_name,
        ctx.now,
        changes,
        ctx.default_tz,
    )
    if created or changes.keys() & {"tz", "digest_day", "digest_hour"}:
        await recurring.plan_digests(ctx.session, group, ctx.now)
    await groups.join(ctx.session, group, ctx.member, ctx.now, week_start(ctx.today))
    await recurring.plan_checkins_for(ctx.session, ctx.member, ctx.now, ctx.default_tz)
    members = await groups.members_of(ctx.session, group)
    if followed:
        await _move_reminders(ctx, members, followed)
    clocks = await streak_cache.clocked(ctx.session, members, ctx.now, ctx.default_tz)
    for member, clock in zip(members, clocks, strict=True):
        await goals.follow_group(ctx.session, member, group, clock.week, ctx.now)
    return Reply(
        title="Group created" if created else "Group updated",
        text=(
            "This channel is now a peerpath group. Members join by using any peerpath "
            "command here (or /join); /leave leaves."
            if created
            else "Saved. Members without goals of their own follow the new defaults from "
            "this week on."
        ),
        fields=describe(group),
    )


async def _zones_followed(ctx: Context, channel: str) -> dict[int, str]:
    """The zone each member of the channel's group follows, for those without one of
    their own (a member follows their first group's), before the group's zone changes."""
    group = await groups.home_of(ctx.session, ctx.workspace, channel)
    if group is None:
        return {}
    members = [m for m in await groups.members_of(ctx.session, group) if m.tz is None]
    return await zones.home_zones(ctx.session, members)


async def _move_reminders(ctx: Context, members: list[Member], followed: dict[int, str]) -> None:
    """Members whose zone was the group's (``followed``: those without one of their own)
    have their planned reminders follow it."""
    now_followed = await zones.home_zones(ctx.session, members)
    for member in members:
        before, after = followed.get(member.id), now_followed.get(member.id)
        if before and after and before != after:
            await plan.follow_reminder_hour(ctx.session, member, ZoneInfo(before), ZoneInfo(after))


def describe(group: Group) -> list[Field]:
    return [
        Field("Time zone (tz)", group.tz, inline=True),
        Field("Weekly digest", groups.digest_when(group), inline=True),
        Field(
            "Default weekly goals",
            wording.goals(Goals(group.outreach_goal, group.interview_goal)),
            inline=True,
        ),
        Field(
            "Partner rounds (partners)",
            "off"
            if group.partners == Cadence.OFF.value
            else f"{group.partners}, in {'pairs' if group.partner_size == 2 else 'trios'}",
            inline=True,
        ),
    ]


async def join(ctx: Context, args: dict[str, Any]) -> Reply:
    group = await home_group(ctx)
    if await groups.join(ctx.session, group, ctx.member, ctx.now, week_start(ctx.today)):
        await recurring.plan_checkins_for(ctx.session, ctx.member, ctx.now, ctx.default_tz)
        title, text = "Welcome back", "You are in this group again."
    elif (
        row := await groups.membership(ctx.session, group, ctx.member)
    ) and row.joined_at < ctx.now:
        since = format_date(row.joined_at.astimezone(ctx.tz).date())
        title, text = "Already in", f"You have been a member of this group since {since}."
    else:  # joined by this very command (a first command in the channel joins)
        title, text = "You're in", "You are a member of this group."
    current = await goals.goals_for(ctx.session, ctx.member, week_start(ctx.today))
    return Reply(
        title=title,
        text=f"{text} Your weekly goals: {wording.goals(current)}. See progress with /goal; "
        "change them with /goal outreach=3 interviews=1.",
    )


async def leave(ctx: Context, args: dict[str, Any]) -> Reply:
    group = await home_group(ctx)
    if not await groups.leave(ctx.session, group, ctx.member):
        return Reply(title="Not a member", text="You are not a member of this group.")
    withdrawn = await practice.withdraw(ctx.session, ctx.member, ctx.now, group)
    await rounds.on_leave(ctx.session, group, ctx.member, ctx.now)
    return Reply(
        title="You left the group",
        text="You no longer appear on its leaderboard or digest. Your logs, goals and streak "
        "stay yours; /join here brings you back."
        + (" Your practice request here is withdrawn." if withdrawn else ""),
    )


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="group-setup",
            group=True,
            description="Make this channel a group's home and set its defaults",
            handler=group_setup,
            options=(
                Option("tz", "The group's time zone, e.g. Europe/Berlin", max_length=64),
                Option("digest-day", "Day of the weekly digest", choices=WEEKDAYS),
                Option(
                    "digest-hour",
                    "Hour of the weekly digest, 0-23",
                    OptionType.INTEGER,
                    min_value=0,
                    max_value=23,
                ),
                Option(
                    "outreach",
                    "Default weekly outreach goal, 1-100",
                    OptionType.INTEGER,
                    min_value=1,
                    max_value=100,
                ),
                Option(
                    "interviews",
                    "Default weekly interview goal, 0-20",
                    OptionType.INTEGER,
                    min_value=0,
                    max_value=20,
                ),
                Option(
                    "partners",
                    "Partner rounds: weekly, fortnightly or off",
                    choices=tuple(c.value for c in Cadence),
                ),
                Option("partner-size", "Partners per team: 2 or 3", choices=("2", "3")),
            ),
            example=SETUP_EXAMPLE,
            admin_only=True,
        )
    )
    registry.add(
        Command(
            name="join",
            group=True,
            description="Join the group whose channel this is",
            handler=join,
            example="/join",
        )
    )
    registry.add(
        Command(
            name="leave",
            group=True,
            description="Leave this channel's group (your data stays yours)",
            handler=leave,
            example="/leave",
        )
    )
