"""Buttons on reminder DMs: snooze one for a day, or log the interview it asks about."""

from __future__ import annotations

from sqlalchemy import select

from bot.commands.choosing import button_id
from bot.commands.interviews import logged_interview
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.models import Nudge, Outreach
from bot.nudges import plan
from bot.registry import Action, Registry
from bot.replies import Reply
from bot.services import contacts


async def press_snooze(ctx: Context, argument: str) -> Reply:
    nudge = await ctx.session.scalar(
        select(Nudge).where(Nudge.id == button_id(argument), Nudge.member_id == ctx.member.id)
    )
    if nudge is None:
        raise UserError("I can't find that reminder among yours.")
    due = await plan.snooze(ctx.session, ctx.member, nudge, ctx.now)
    return Reply(
        text=f"Snoozed — I'll remind you again {format_date(due.astimezone(ctx.tz).date())}"
        f" at {due.astimezone(ctx.tz):%H:%M}."
    )


async def press_log_it(ctx: Context, argument: str) -> Reply:
    request = await ctx.session.scalar(
        select(Outreach).where(
            Outreach.id == button_id(argument), Outreach.member_id == ctx.member.id
        )
    )
    contact = await contacts.get(ctx.session, ctx.member, request.contact_id) if request else None
    if request is None or contact is None:
        raise UserError("I can't find that conversation among yours.")
    held_on = (
        request.scheduled_for
        if request.scheduled_for and request.scheduled_for <= ctx.today
        else ctx.today
    )
    args = {
        "contact": contact.name,
        "company": contact.company,
        "role": None,
        "date": held_on,
        "via": None,
        "referrals": None,
        "notes": None,
    }
    return await logged_interview(ctx, args)


SNOOZE = Action("snooze", press_snooze)
LOG_IT = Action("log-it", press_log_it)


def register(registry: Registry) -> None:
    registry.add_action(SNOOZE)
    registry.add_action(LOG_IT)
