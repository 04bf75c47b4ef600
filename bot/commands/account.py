"""/settings, /export and /forget-me: the member's own preferences and data."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import wording
from bot.context import Context
from bot.errors import UserError
from bot.models import Member
from bot.nudges import plan, timing
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Attachment, ButtonStyle, Field, Reply
from bot.services import export, groups, members, rounds, zones
from bot.timezones import zone

QUIET_RE = re.compile(r"^(\d{1,2})(?::00)?\s*-\s*(\d{1,2})(?::00)?$")
SETTINGS_EXAMPLE = "/settings tz=Europe/Berlin hour=9 quiet=21-8 reminders=on leaderboard=on"


async def settings(ctx: Context, args: dict[str, Any]) -> Reply:
    member = ctx.member
    changed = [name for name, value in args.items() if value is not None]
    old_hour, old_tz = member.reminder_hour, ctx.tz
    if args["tz"] is not None:
        member.tz = zone(args["tz"]).key
    if args["hour"] is not None:
        member.reminder_hour = args["hour"]
    moved = 0
    if (member.reminder_hour, member.tz or old_tz.key) != (old_hour, old_tz.key):
        new_tz = ZoneInfo(member.tz) if member.tz else old_tz
        moved = await plan.follow_reminder_hour(ctx.session, member, old_tz, new_tz)
    if args["quiet"] is not None:
        member.quiet_start, member.quiet_end = parse_quiet(args["quiet"])
    if args["reminders"] is not None:
        member.reminders_on = args["reminders"]
        if member.reminders_on:  # asked for reminders: try DMs again, closed or not
            member.dm_closed_at = None
    if args["leaderboard"] is not None:
        member.leaderboard_on = args["leaderboard"]
    if args["targets"] is not None:
        member.targets_nudge_on = args["targets"]
    if args["coach"] is not None:
        member.coach_on = args["coach"]
    if args["plans"] is not None:
        member.plans_on = args["plans"]
    in_force = await zones.in_force(ctx.session, member, ctx.default_tz)
    quiet = (
        "off"
        if member.quiet_start == member.quiet_end
        else f"{member.quiet_start:02d}:00-{member.quiet_end:02d}:00"
    )
    text = saved(moved) if changed else "Change any of them with " + SETTINGS_EXAMPLE
    warning = quiet_warning(member, ZoneInfo(in_force.zone), ctx.now, quiet)
    return Reply(
        title="Settings updated" if changed else "Your settings",
        text=f"{text}\n{warning}" if warning else text,
        fields=[
            Field("Time zone (tz)", str(in_force), inline=True),
            Field("Reminder hour (hour)", f"{member.reminder_hour:02d}:00", inline=True),
            Field("Quiet hours (quiet)", quiet, inline=True),
            Field("DM reminders (reminders)", "on" if member.reminders_on else "off", inline=True),
            Field(
                "On leaderboards (leaderboard)",
                "on" if member.leaderboard_on else "off",
                inline=True,
            ),
            Field(
                "Weekly top target (targets)",
                "on" if member.targets_nudge_on else "off",
                inline=True,
            ),
            Field(
                "History on the facilitator's page (coach)",
                "on" if member.coach_on else "off",
                inline=True,
            ),
            Field("Weekly plan prompts (plans)", "on" if member.plans_on else "off", inline=True),
        ],
    )


def saved(moved: int) -> str:
    if not moved:
        return "Saved."
    reminders = "reminder" if moved == 1 else "reminders"
    return f"Saved. {moved} planned {reminders} will now come at your new reminder time."


def quiet_warning(member: Member, tz: ZoneInfo, now: datetime, quiet: str) -> str | None:
    """When the reminder hour falls inside quiet hours, the time reminders really come:
    the outbox holds a nudge until quiet hours end (:func:`timing.next_allowed`)."""
    if not member.reminders_on:
        return None
    today = now.astimezone(tz).date()
    planned = timing.at_reminder_hour(today, member, tz)
    arrives = timing.next_allowed(planned, member, tz).astimezone(tz)
    if arrives == planned:
        return None
    day = "the same day" if arrives.date() == today else "the next day"
    return (
        f"Note: your reminder hour, {member.reminder_hour:02d}:00, is inside your quiet hours "
        f"({quiet}), so reminders will arrive at {arrives:%H:%M} {day}, when quiet hours "
        "end. Change `hour` or `quiet` to have them sooner."
    )


def parse_quiet(text: str) -> tuple[int, int]:
    """``21-8`` or ``21:00-08:00`` → (21, 8); ``off`` → no quiet hours."""
    if text.lower() in ("off", "none"):
        return 0, 0
    match = QUIET_RE.match(text)
    if match is None or not all(0 <= int(h) <= 23 for h in match.groups()):
        raise UserError(
            f"Quiet hours look like `21-8` (from 21:00 to 08:00) or `off`, not `{text[:40]}`.",
            "/settings quiet=22-7",
        )
    start, end = int(match.group(1)), int(match.group(2))
    if start == end:  # empty or the whole day? Neither is a quiet range: ask for what is meant
        raise UserError(
            f"`{text[:40]}` starts and ends at the same hour. For no quiet hours use `off`; "
            "for no reminder DMs at all, `reminders=off`; otherwise give a range like `21-8`.",
            "/settings quiet=22-7",
        )
    return start, end


async def export_data(ctx: Context, args: dict[str, Any]) -> Reply:
    text, count = await export.member_csv(ctx.session, ctx.member)
    filename = f"peerpath-export-{ctx.today.isoformat()}.csv"
    return Reply(
        title="Your data",
        text=f"{wording.plural(count, 'record')}: your contacts, outreach and interviews, notes "
        "included. "
        "Only you can see this file.",
        attachment=Attachment(filename, text.encode("utf-8"), "text/csv"),
    )


async def forget_me(ctx: Context, args: dict[str, Any]) -> Reply:
    if not args["confirm"]:
        return Reply(
            title="Delete all your data?",
            text="This deletes every contact, outreach, interview, note and setting of yours in "
            "this workspace, for good. Consider /export first. To go ahead, press the button "
            "or run /forget-me confirm=yes.",
            actions=[FORGET.button("yes", "Delete my data", ButtonStyle.DANGER)],
        )
    return await _forget(ctx)


async def _forget(ctx: Context) -> Reply:
    for group in await groups.groups_of(ctx.session, ctx.member):  # partners are told
        await rounds.on_leave(ctx.session, group, ctx.member, ctx.now)
    await members.forget(ctx.session, ctx.member, ctx.now)
    return Reply(
        title="Deleted",
        text="All your peerpath data in this workspace is gone. Using a command again starts "
        "afresh.",
    )


async def press_forget(ctx: Context, argument: str) -> Reply:
    if argument != "yes":
        raise UserError("That button is damaged; run /forget-me again.")
    return await _forget(ctx)


FORGET = Action("forget", press_forget)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="settings",
            description="See or change your time zone, reminder hour, quiet hours and privacy",
            handler=settings,
            options=(
                Option(
                    "tz", "Your time zone, e.g. Europe/Berlin or America/New_York", max_length=64
                ),
                Option(
                    "hour",
                    "Hour of day for reminders, 0-23",
                    OptionType.INTEGER,
                    min_value=0,
                    max_value=23,
                ),
                Option("quiet", "No DMs between these hours, e.g. 21-8, or off", max_length=20),
                Option("reminders", "DM reminders on or off", OptionType.BOOLEAN),
                Option(
                    "leaderboard", "Appear on channel leaderboards, on or off", OptionType.BOOLEAN
                ),
                Option(
                    "targets",
                    "A weekly DM suggesting your top target to contact, on or off",
                    OptionType.BOOLEAN,
                ),
                Option(
                    "coach",
                    "Show your weekly history to your group's facilitator, on or off",
                    OptionType.BOOLEAN,
                ),
                Option(
                    "plans",
                    "Monday and Friday DMs about your weekly plan, on or off",
                    OptionType.BOOLEAN,
                ),
            ),
            example=SETTINGS_EXAMPLE,
        )
    )
    registry.add(
        Command(
            name="export",
            description="Download everything you have logged, as CSV",
            handler=export_data,
            example="/export",
        )
    )
    registry.add(
        Command(
            name="forget-me",
            description="Delete all your data in this workspace (asks to confirm)",
            handler=forget_me,
            options=(Option("confirm", "Type yes to delete everything", OptionType.CONFIRM),),
            example="/forget-me confirm=yes",
        )
    )
    registry.add_action(FORGET)
