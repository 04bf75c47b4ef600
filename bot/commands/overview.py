"""/pending: everything that is waiting on the member, most urgent first, a page at a time.

A page shows each list (thank-yous, outreach awaiting a reply, interviews scheduled) ten
lines at a time, in fields that every platform shows whole (:mod:`bot.pages`): one field
for ordinary names, a few when names are long. A list that goes on ends in "…and N
more", and the reply gets a **Show more** button whose id holds where each list
continues (``pending-more:10:10:0``): a stable id, read again on every press, so it
works after a restart and shows the lists as they are then. Every thank-you shown has
its own **Thanked** button, on whichever page it appears.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from bot import deadlines, pages
from bot.commands.interviews import thanked_button
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.lengths import shown
from bot.models import Contact, Interview, Outreach, OutreachStatus
from bot.registry import Action, Command, Registry
from bot.replies import Button, Field, Reply
from bot.services import contacts, interviews, outreach

MAX_LINES = 10
# Fields a page gives its lists: four of FIELD_BUDGET stay well inside Discord's 6,000
# characters per message, beside the title, the text and the home view's own fields.
PAGE_FIELDS = 4
# Room a line keeps for what follows the contact ("— OVERDUE since Wed 11 Nov" and the like).
SUFFIX_ROOM = 100
LISTS = ("Thank-you notes", "Awaiting a reply", "Scheduled")
_STARTS = re.compile(r"[0-9]{1,6}:[0-9]{1,6}:[0-9]{1,6}")


async def pending(ctx: Context, args: dict[str, Any]) -> Reply:
    return await _page(ctx, (0, 0, 0))


async def press_more(ctx: Context, argument: str) -> Reply:
    """The next page: ``argument`` says where each list continues."""
    if not _STARTS.fullmatch(argument):
        raise UserError("That button is damaged; run /pending again.")
    first, second, third = (int(n) for n in argument.split(":"))
    return await _page(ctx, (first, second, third))


async def _page(ctx: Context, starts: tuple[int, int, int]) -> Reply:
    thanks = await interviews.awaiting_thanks(ctx.session, ctx.member)
    open_requests = await outreach.with_status(
        ctx.session, ctx.member, (OutreachStatus.SENT.value, OutreachStatus.SCHEDULED.value)
    )
    waiting = [
        (o, c)
        for o, c in open_requests
        if o.status == OutreachStatus.SENT.value and outreach.awaiting(o.sent_on, ctx.today)
    ]
    booked = [
        (o, c)
        for o, c in open_requests
        if o.status == OutreachStatus.SCHEDULED.value and o.scheduled_for is not None
    ]
    employers = Counter(contacts.company_key(c.company) for _, c in [*waiting, *booked])
    if not (thanks or waiting or booked):
        return Reply(
            title="Nothing pending",
            text="Nothing is waiting on you. A good moment to send some outreach: /outreach",
        )
    lists = (
        [_thanks_line(ctx, interview, contact) for interview, contact in thanks],
        [_waiting_line(ctx, request.sent_on, contact, employers) for request, contact in waiting],
        [_booked_line(ctx, request, contact) for request, contact in booked],
    )
    buttons = [thanked_button(interview, contact) for interview, contact in thanks]
    fields: list[Field] = []
    actions: list[Button] = []
    following: list[int] = []
    waiting_lists = sum(start < len(lines) for lines, start in zip(lists, starts, strict=True))
    for name, lines, start in zip(LISTS, lists, starts, strict=True):
        if start >= len(lines):
            following.append(start)
            continue
        waiting_lists -= 1  # each list still to come keeps a field for itself
        room = PAGE_FIELDS - len(fields) - waiting_lists
        blocks = pages.spread(lines[start:], MAX_LINES, room)
        shown = sum(block.shown for block in blocks)
        fields.append(Field(_heading(name, start, shown, len(lines)), blocks[0].text))
        fields += [Field(f"{name} (continued)", block.text) for block in blocks[1:]]
        if name == LISTS[0]:
            actions += buttons[start : start + shown]
        following.append(start + shown)
    continued = starts != (0, 0, 0)
    if not fields:  # the lists shrank since the button was shown
        return Reply(title="Pending", text="That was everything. /pending shows the lists again.")
    if any(n < len(lines) for n, lines in zip(following, lists, strict=True)):
        more = ":".join(str(n) for n in following)
        actions.append(MORE.button(more, "Show more"))
    return Reply(
        title="Pending (continued)" if continued else "Pending",
        text="More of what is waiting on you." if continued else "Here is what is waiting on you.",
        fields=fields,
        actions=actions,
    )


def _heading(name: str, start: int, shown: int, total: int) -> str:
    """``Thank-you notes (61)`` from the start; ``Thank-you notes 11–20 of 61`` further on."""
    if start == 0:
        return f"{name} ({total})"
    return f"{name} {start + 1}–{start + shown} of {total}"


def _label(contact: Contact) -> str:
    """The contact as a line shows them, cut so the dates after it always fit."""
    return shown(contacts.label(contact), pages.FIELD_BUDGET - SUFFIX_ROOM)


def _thanks_line(ctx: Context, interview: Interview, contact: Contact) -> str:
    return f"• {_label(contact)} — {deadlines.due_words(interview.thank_you_due_on, ctx.today)}"


def _waiting_line(
    ctx: Context, sent_on: date, contact: Contact, employers: Counter[str | None]
) -> str:
    """3B7's next step: a second person at the employer — unless another request there is
    open already (then the follow-up is next) or there is no employer to speak of."""
    second, follow_up = outreach.follow_up_dates(sent_on)
    employer = contacts.company_key(contact.company)
    asked_there = employer is not None and employers[employer] > 1
    if ctx.today >= follow_up:
        hint = "send one polite follow-up"
    elif asked_there:
        hint = f"another person there is asked too; follow up from {format_date(follow_up)}"
    elif ctx.today >= second:
        hint = (
            "try a second person there" if contact.company else "try a second person in the field"
        )
    else:
        hint = f"next step from {format_date(second)}"
    return f"• {_label(contact)} — sent {format_date(sent_on)}, {hint}"


def _booked_line(ctx: Context, request: Outreach, contact: Contact) -> str:
    assert request.scheduled_for is not None  # only scheduled requests are listed
    return f"• {_label(contact)} — {_meeting_day(request.scheduled_for, ctx.today)}"


def _meeting_day(day: date, today: date) -> str:
    """A scheduled conversation's day; once it has passed, what to do about it."""
    if day == today:
        return f"today ({format_date(day)})"
    if day < today:
        return f"was {format_date(day)}: log it with /logged-interview, or /scheduled a new day"
    return format_date(day)


MORE = Action("pending-more", press_more)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="pending",
            description="See thank-yous due, outreach awaiting a reply, and interviews coming up",
            handler=pending,
            example="/pending",
        )
    )
    registry.add_action(MORE)
