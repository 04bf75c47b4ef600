"""Buttons on reminder DMs (snooze one for a day, log the interview it asks about), and the
word a member gets when their DMs were closed to reminders."""

from __future__ import annotations

from bot.commands.choosing import owned
from bot.context import Context
from bot.dates import format_date
from bot.models import Member, Nudge, Outreach
from bot.nudges import plan
from bot.registry import Action, Registry
from bot.replies import Field, Reply
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


CLOSED_DMS = (
    "I couldn't send you reminders: your direct messages are closed to this app. "
    "Open them to get nudges (I'll try again with the next one) — meanwhile /pending "
    "shows everything that is waiting."
)


def mention_closed_dms(member: Member, reply: Reply) -> Reply:
    """A member whose DMs were refused is active again: tell them, privately, and clear
    the closed state so the next reminder is tried — they may have opened their DMs
    since; a refusal then records it afresh. (A public reply waits for a private one.)"""
    if member.dm_closed_at is None or not reply.ephemeral:
        return reply
    reply.fields.append(Field("Reminders can't reach you", CLOSED_DMS))
    member.dm_closed_at = None
    return reply
