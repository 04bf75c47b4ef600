"""Buttons on reminder DMs: snooze one for a day, or log the interview it asks about."""

from __future__ import annotations

from bot.commands.choosing import owned
from bot.context import Context
from bot.dates import format_date
from bot.models import Nudge, Outreach
from bot.nudges import plan
from bot.registry import Action, Registry
from bot.replies import Reply
from bot.services import contacts


async def press_snooze(ctx: Context, argument: str) -> Reply:
    nudge = await owned(ctx, Nudge, argument, "reminder")
    due = await plan.snooze(ctx.session, ctx.member, nudge, ctx.now)
    return Reply(
        title="Snoozed",
        text=f"Snoozed — I'll remind you again {format_date(due.astimezone(ctx.tz).date())}"
        f" at {due.astimezone(ctx.tz):%H:%M}.",
    )


async def press_log_it(ctx: Context, argument: str) -> Reply:
    """Log the conversation a "How did it go?" reminder asks about, as /logged-interview
    would (so a question it asks can be answered the same way)."""
    request = await owned(ctx, Outreach, argument, "conversation")
    contact = await contacts.get(ctx.session, ctx.member, request.contact_id)
    assert contact is not None  # same member, and contacts outlive their outreach
    held_on = (
        request.scheduled_for
        if request.scheduled_for and request.scheduled_for <= ctx.today
        else ctx.today
    )
    assert ctx.run_command is not None  # set by the core for every unit of work
    return await ctx.run_command(
        "logged-interview", {"contact": contacts.ref(contact), "date": held_on.isoformat()}
    )


SNOOZE = Action("snooze", press_snooze)
LOG_IT = Action("log-it", press_log_it)


def register(registry: Registry) -> None:
    registry.add_action(SNOOZE)
    registry.add_action(LOG_IT)
