"""/outreach, /scheduled and /declined: asking for a conversation and where it stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.commands import options
from bot.commands.choosing import button_id, exact_or_choices
from bot.commands.prep import PREP
from bot.context import Context
from bot.dates import format_date, local_noon_utc
from bot.errors import UserError
from bot.models import Contact, HowKnown, OutreachStatus, Via
from bot.nudges import plan
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Button, Field, Reply
from bot.services import contacts, outreach

OUTREACH_EXAMPLE = '/outreach "Jane Doe" company=Acme via=linkedin date=today'


async def log_outreach(ctx: Context, args: dict[str, Any]) -> Reply:
    sent_on = args["date"] or ctx.today
    if sent_on > ctx.today:
        raise UserError(
            f"{format_date(sent_on)} is in the future — log outreach once it is sent.",
            OUTREACH_EXAMPLE,
            option="date",
        )
    how = HowKnown(args["how"]) if args["how"] else HowKnown.OTHER
    contact, new = await contacts.find_or_create(
        ctx.session, ctx.member, args["contact"], ctx.now, args["company"], how_known=how
    )
    if args["how"]:
        contact.how_known = how.value
    if not new and await outreach.same_day(ctx.session, ctx.member, contact, sent_on):
        return Reply(
            text=f"You already logged outreach to {contacts.label(contact)} on "
            f"{format_date(sent_on)}; nothing was added."
        )
    sent_at = ctx.now if sent_on == ctx.today else local_noon_utc(sent_on, ctx.tz)
    request = await outreach.log(
        ctx.session, ctx.member, contact, args["via"] or Via.OTHER.value, sent_on, sent_at, ctx.now
    )
    await plan.plan_follow_ups(ctx.session, ctx.member, request, ctx.tz, ctx.now)
    second, follow_up = outreach.follow_up_dates(sent_on)
    employer = contact.company or "that employer"
    return Reply(
        title="Outreach logged",
        text=f"Logged your request to {contacts.label(contact)}. Asking for 20-30 minutes of "
        "advice is exactly right; a no is normal too.",
        fields=[
            Field(
                "No reply by " + format_date(second), f"Reach out to a second person at {employer}."
            ),
            Field(
                "Still nothing by " + format_date(follow_up),
                f"Send {contact.name} one short, polite follow-up — then let it rest.",
            ),
        ],
    )


async def scheduled(ctx: Context, args: dict[str, Any]) -> Reply:
    when = args["date"]
    if when < ctx.today:
        raise UserError(
            f"{format_date(when)} has already passed. If the conversation happened, log it.",
            f'/logged-interview "{args["contact"]}" date={when.isoformat()}',
            option="date",
        )
    found = await contacts.exact(ctx.session, ctx.member, args["contact"])
    if len(found) > 1:
        return _choose_request(
            found, lambda c: SCHEDULED.button(f"{c.id}:{when.isoformat()}", contacts.label(c))
        )
    if found:
        return await _schedule(ctx, found[0], when)
    contact, _ = await contacts.find_or_create(ctx.session, ctx.member, args["contact"], ctx.now)
    return await _schedule(ctx, contact, when, f" I added {contact.name} to your contacts.")


async def _schedule(ctx: Context, contact: Contact, when: date, note: str = "") -> Reply:
    request = await outreach.latest_open(ctx.session, ctx.member, contact)
    if request is None:
        request = await outreach.log(
            ctx.session, ctx.member, contact, Via.OTHER.value, ctx.today, ctx.now, ctx.now
        )
    outreach.move(request, OutreachStatus.SCHEDULED, ctx.now)
    request.scheduled_for = when
    await plan.plan_scheduled(ctx.session, ctx.member, request, ctx.tz, ctx.now)
    return Reply(
        title="Interview scheduled",
        text=f"Your conversation with {contacts.label(contact)} is on {format_date(when)}.{note} "
        "Prepare a few questions, keep to the time you asked for, and ask for two more names "
        "before you leave.",
        actions=[PREP.button("", "Prep questions")],
    )


async def declined(ctx: Context, args: dict[str, Any]) -> Reply:
    found = await exact_or_choices(
        ctx,
        args["contact"],
        lambda c: DECLINED.button(c.id, contacts.label(c)),
        "with open outreach",
    )
    if isinstance(found, Reply):
        return found
    if len(found) > 1:
        return _choose_request(found, lambda c: DECLINED.button(c.id, contacts.label(c)))
    return await _decline(ctx, found[0])


async def _decline(ctx: Context, contact: Contact) -> Reply:
    request = await outreach.latest_open(ctx.session, ctx.member, contact)
    if request is None:
        raise UserError(
            f"There is no open outreach to {contacts.label(contact)} to mark declined.",
            OUTREACH_EXAMPLE,
        )
    outreach.move(request, OutreachStatus.DECLINED, ctx.now)
    return Reply(
        text=f"Marked your request to {contacts.label(contact)} as declined. That happens to "
        "everyone — people are busy. Thank them anyway, and ask someone else."
    )


def _choose_request(found: list[Contact], button: Callable[[Contact], Button]) -> Reply:
    buttons = [button(c) for c in found[:5]]
    return Reply(text=f"You have more than one {found[0].name}. Which one?", actions=buttons)


async def press_declined(ctx: Context, argument: str) -> Reply:
    return await _decline(ctx, await _own_contact(ctx, argument))


async def press_scheduled(ctx: Context, argument: str) -> Reply:
    contact_id, _, day = argument.partition(":")
    contact = await _own_contact(ctx, contact_id)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise UserError("That button is damaged; run the command again.") from None
    return await _schedule(ctx, contact, when)


async def _own_contact(ctx: Context, argument: str) -> Contact:
    contact = await contacts.get(ctx.session, ctx.member, button_id(argument))
    if contact is None:
        raise UserError("I can't find that contact among yours; it may have been deleted.")
    return contact


DECLINED = Action("declined", press_declined)
SCHEDULED = Action("scheduled", press_scheduled)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="outreach",
            description="Log a request you sent for an informational interview",
            handler=log_outreach,
            options=(
                options.CONTACT,
                options.COMPANY,
                options.OUTREACH_VIA,
                Option("date", "When you sent it: today, yesterday, 2026-03-14", OptionType.DATE),
                options.HOW_KNOWN,
            ),
            example=OUTREACH_EXAMPLE,
        )
    )
    registry.add(
        Command(
            name="scheduled",
            description="Record that a contact agreed to talk, and when",
            handler=scheduled,
            options=(
                options.CONTACT,
                Option(
                    "date",
                    "The day you'll talk: 2026-03-20, friday, next tuesday",
                    OptionType.DATE,
                    required=True,
                    prefer_future=True,
                ),
            ),
            example='/scheduled "Jane Doe" date="next tuesday"',
        )
    )
    registry.add(
        Command(
            name="declined",
            description="Record that a contact said no (it happens)",
            handler=declined,
            options=(options.CONTACT,),
            example='/declined "Jane Doe"',
        )
    )
    registry.add_action(DECLINED)
    registry.add_action(SCHEDULED)
