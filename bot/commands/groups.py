"""/group-setup, /join and /leave: a channel becomes a group's home; members come and go."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.context import Context
from bot.dates import WEEKDAYS, week_start
from bot.errors import UserError
from bot.models import Group, Member
from bot.nudges import plan
from bot.registry import Command, Option, OptionType, Registry
from bot.replies import Field, Reply
from bot.services import goals, groups, streak_cache, zones
from bot.timezones import zone

SETUP_EXAMPLE = (
    "/group-setup tz=Europe/Berlin digest-day=monday digest-hour=9 outreach=5 interviews=1"
)
NOT_A_GROUP = (
    "This channel isn't a peerpath group. Run the command in your group's channel — or, "
    "if you are an admin, make this channel one with /group-setup."
)


def home_group(ctx: Context) -> Group:
    """The group whose channel this is, or a refusal that says where group commands work."""
    if ctx.group is None:
        raise UserError(NOT_A_GROUP)
    return ctx.group


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
    await groups.join(ctx.session, group, ctx.member, ctx.now, week_start(ctx.today))
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
            f"{group.outreach_goal} outreach, {group.interview_goal} interviews",
            inline=True,
        ),
    ]


async def join(ctx: Context, args: dict[str, Any]) -> Reply:
    group = ctx.group
    if group is None:
        raise UserError(NOT_A_GROUP)
    if await groups.join(ctx.session, group, ctx.member, ctx.now, week_start(ctx.today)):
        text = "Welcome back — you are in this group again."
    else:
        text = "You are a member of this group."
    current = await goals.goals_for(ctx.session, ctx.member, week_start(ctx.today))
    return Reply(
        text=f"{text} Your weekly goals: {current.outreach} outreach, {current.interviews} "
        "interviews. See progress with /goal; change them with `/goal outreach=3 interviews=1`."
    )


async def leave(ctx: Context, args: dict[str, Any]) -> Reply:
    group = ctx.group
    if group is None:
        mine = await groups.groups_of(ctx.session, ctx.member)
        if len(mine) != 1:
            raise UserError(
                NOT_A_GROUP
                if not mine
                else "Run /leave in the channel of the group you want to leave."
            )
        group = mine[0]
    if not await groups.leave(ctx.session, group, ctx.member):
        return Reply(text="You are not a member of this group.")
    return Reply(
        text="You left the group: you no longer appear on its leaderboard or digest. Your "
        "logs, goals and streak stay yours; /join brings you back."
    )


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="group-setup",
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
            ),
            example=SETUP_EXAMPLE,
            admin_only=True,
        )
    )
    registry.add(
        Command(
            name="join",
            description="Join the group whose channel this is",
            handler=join,
            example="/join",
        )
    )
    registry.add(
        Command(
            name="leave",
            description="Leave this channel's group (your data stays yours)",
            handler=leave,
            example="/leave",
        )
    )
