"""/pending: everything that is waiting on the member, most urgent first."""

from __future__ import annotations

from typing import Any

from bot.commands.interviews import thanked_button
from bot.context import Context
from bot.dates import format_date
from bot.models import OutreachStatus
from bot.registry import Command, Registry
from bot.replies import Field, Reply
from bot.services import contacts, interviews, outreach

MAX_LINES = 10
MAX_BUTTONS = 5


async def pending(ctx: Context, args: dict[str, Any]) -> Reply:
    thanks = await interviews.awaiting_thanks(ctx.session, ctx.member)
    open_requests = await outreach.with_status(
        ctx.session, ctx.member, (OutreachStatus.SENT.value, OutreachStatus.SCHEDULED.value)
    )
    waiting = [(o, c) for o, c in open_requests if o.status == OutreachStatus.SENT.value]
    booked = [(o, c) for o, c in open_requests if o.status == OutreachStatus.SCHEDULED.value]
    if not (thanks or waiting or booked):
        return Reply(
            title="Nothing pending",
            text="Nothing is waiting on you. A good moment to send some outreach: /outreach",
        )
    fields = []
    if thanks:
        lines = []
        for interview, contact in thanks:
            due = interview.thank_you_due.astimezone(ctx.tz).date()
            state = "OVERDUE since" if interview.thank_you_due < ctx.now else "due"
            lines.append(f"• {contacts.label(contact)} — {state} {format_date(due)}")
        fields.append(Field(f"Thank-you notes ({len(thanks)})", _capped(lines)))
    if waiting:
        lines = []
        for request, contact in waiting:
            second, follow_up = outreach.follow_up_dates(request.sent_on)
            if ctx.today >= follow_up:
                hint = "send one polite follow-up"
            elif ctx.today >= second:
                hint = "try a second person there"
            else:
                hint = f"give it until {format_date(second)}"
            lines.append(
                f"• {contacts.label(contact)} — sent {format_date(request.sent_on)}, {hint}"
            )
        fields.append(Field(f"Awaiting a reply ({len(waiting)})", _capped(lines)))
    if booked:
        lines = [
            f"• {contacts.label(contact)} — {format_date(request.scheduled_for)}"
            for request, contact in booked
            if request.scheduled_for is not None
        ]
        fields.append(Field(f"Scheduled ({len(booked)})", _capped(lines)))
    return Reply(
        title="Pending",
        text="Here is what is waiting on you.",
        fields=fields,
        actions=[thanked_button(i) for i, _ in thanks[:MAX_BUTTONS]],
    )


def _capped(lines: list[str]) -> str:
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(f"…and {len(lines) - MAX_LINES} more")
    return "\n".join(shown)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="pending",
            description="See thank-yous due, outreach awaiting a reply, and interviews coming up",
            handler=pending,
            example="/pending",
        )
    )
