"""/undo: take back your most recent log, made within the last day.

What the log changed comes back with it (``bot/services/journal.py``): its reminders,
the outreach it moved, the contacts and referral links it added; counts and streaks are
recounted from what is left. It asks first, with a button; ``/undo confirm=yes`` doesn't.
"""

from __future__ import annotations

import json
from typing import Any

from bot import wording
from bot.commands.choosing import owned
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.models import Interview, LogEntry, LogKind, Outreach
from bot.registry import Action, Command, Option, Registry
from bot.replies import ButtonStyle, Reply
from bot.services import contacts, journal

WINDOW = wording.plural(int(journal.UNDO_WITHIN.total_seconds() // 3600), "hour")


def describe(entry: LogEntry, found: journal.Subject | None) -> tuple[str, str]:
    """What ``entry`` logged (``found``: its subject), in words (``your outreach to Jane Doe
    (Acme) on Wed 18 Nov``), and its contact's name for a button."""
    if found is None:
        return "a log whose record is gone", "it"
    row, contact = found
    who = contacts.label(contact)
    kind = LogKind(entry.kind)
    if kind is LogKind.OUTREACH:
        assert isinstance(row, Outreach)
        return f"your outreach to {who} on {format_date(row.sent_on)}", contact.name
    if kind is LogKind.INTERVIEW:
        assert isinstance(row, Interview)
        return f"your interview with {who} on {format_date(row.held_on)}", contact.name
    if kind is LogKind.SCHEDULED:
        assert isinstance(row, Outreach)
        day = format_date(row.scheduled_for) if row.scheduled_for else "a day"
        return f"scheduling {who} for {day}", contact.name
    if kind is LogKind.DECLINED:
        return f"marking your request to {who} declined", contact.name
    count = len(json.loads(entry.changes).get("interviews", []))
    return f"marking {wording.plural(count, 'thank-you')} to {who} sent", contact.name


async def undo(ctx: Context, args: dict[str, Any]) -> Reply:
    entry = await journal.latest(ctx.session, ctx.member, ctx.now)
    if entry is None:
        return Reply(
            title="Nothing to undo",
            text=f"You have logged nothing in the last {WINDOW}. To change or delete an older "
            "log, use /history.",
        )
    if args["confirm"] == "yes":
        return await _take_back(ctx, entry)
    said, name = describe(entry, await journal.subject(ctx.session, ctx.member, entry))
    return Reply(
        title="Undo your last log?",
        text=f"Take back {said} (logged {_when(ctx, entry)})? Its reminders go with it and "
        "your counts are recounted.",
        actions=[UNDO.button(entry.id, f"Undo: {name}", ButtonStyle.DANGER)],
    )


def _when(ctx: Context, entry: LogEntry) -> str:
    local = entry.created_at.astimezone(ctx.tz)
    day = "today" if local.date() == ctx.today else format_date(local.date())
    return f"{day} at {local:%H:%M}"


async def _take_back(ctx: Context, entry: LogEntry) -> Reply:
    found = await journal.subject(ctx.session, ctx.member, entry)
    said, _ = describe(entry, found)
    await journal.take_back(ctx.session, ctx.member, entry, found)
    return Reply(
        title="Taken back",
        text=f"Took back {said}. Your counts and streak no longer include it (see /goal).",
    )


async def press_undo(ctx: Context, argument: str) -> Reply:
    entry = await owned(ctx, LogEntry, argument, "log")
    latest = await journal.latest(ctx.session, ctx.member, ctx.now)
    if latest is None or latest.id != entry.id:
        raise UserError(
            "That is no longer your most recent log (or it is over a day old), so it wasn't "
            "taken back. Run /undo again, or change older logs with /history."
        )
    return await _take_back(ctx, entry)


UNDO = Action("undo", press_undo)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="undo",
            description="Take back your most recent log (within a day), after confirming",
            handler=undo,
            options=(
                Option("confirm", "Type yes to take it back without asking", choices=("yes",)),
            ),
            example="/undo confirm=yes",
        )
    )
    registry.add_action(UNDO)
