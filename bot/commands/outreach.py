"""/outreach, /scheduled and /declined: asking for a conversation and where it stands."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from bot import calendars, wording
from bot.commands import options, wins
from bot.commands.prep import PREP
from bot.commands.resolve import resolve
from bot.context import Context
from bot.dates import format_date, local_noon_utc, skipped
from bot.errors import UserError
from bot.models import Contact, HowKnown, LogKind, Outreach, OutreachStatus, Via, WinKind
from bot.nudges import plan
from bot.registry import Command, Option, OptionType, Registry
from bot.replies import Field, Reply
from bot.services import calendar, contacts, journal, outreach

OUTREACH_EXAMPLE = '/outreach "Jane Doe" company=Acme via=linkedin date=today'
# A request that got no answer (or a no) can still turn into a conversation later.
REOPENABLE = (OutreachStatus.NO_RESPONSE.value, OutreachStatus.DECLINED.value)


async def log_outreach(ctx: Context, args: dict[str, Any]) -> Reply:
    sent_on = args["date"] or ctx.today
    if sent_on > ctx.today:
        raise UserError(
            f"{format_date(sent_on)} is in the future — log outreach once it is sent.",
            OUTREACH_EXAMPLE,
            option="date",
        )
    how = HowKnown(args["how"]) if args["how"] else None
    found = await resolve(ctx, args["contact"], create=True, company=args["company"])
    if isinstance(found, Reply):
        return found
    if found.contact is not None:
        repeated = await _repeated(ctx, found.contact, sent_on)
        if repeated is not None:
            return repeated
        contact, before = found.contact, contacts.fill(found.contact, args["company"], None, how)
    else:
        contact = await contacts.create(
            ctx.session,
            ctx.member,
            found.name,
            ctx.now,
            args["company"],
            how_known=how or HowKnown.OTHER,
        )
        before = {"new": True}
    sent_at = ctx.now if sent_on == ctx.today else local_noon_utc(sent_on, ctx.tz)
    via = args["via"] or Via.OTHER.value
    request = await outreach.log(
        ctx.session, ctx.member, contact, via, sent_on, sent_at, ctx.now, notes=args["notes"]
    )
    await journal.record(
        ctx.session,
        ctx.member,
        LogKind.OUTREACH,
        ctx.now,
        outreach_id=request.id,
        changes={"contact": before},
    )
    await plan.plan_follow_ups(ctx.session, ctx.member, request, ctx.tz, ctx.now)
    second, follow_up = outreach.follow_up_dates(sent_on)
    fields = [
        Field(
            f"From {format_date(second)}, if no reply",
            await _second_step(ctx, contact, request),
        ),
        Field(
            f"From {format_date(follow_up)}, if still nothing",
            f"Send {contact.name} one short, polite follow-up — then let it rest.",
        ),
    ]
    introduction = await _introduction(ctx, contact)
    if introduction is not None:
        fields.insert(0, introduction)
    return Reply(
        title="Outreach logged",
        text=f"Logged your request to {contacts.label(contact)}, sent {format_date(sent_on)}. "
        "Asking for 20-30 minutes of advice is exactly right; a no is normal too.",
        fields=fields,
    )


async def _second_step(ctx: Context, contact: Contact, request: Outreach) -> str:
    """3B7's first step, as it applies: a second person at the employer only while no one
    else there has an open request; no "there" without an employer."""
    if not contact.company:
        return "Reach out to a second person who does this kind of work."
    asked = await outreach.open_at(ctx.session, ctx.member, contact.company, request.id)
    if asked:
        return (
            f"You have written to {wording.listing([c.name for c in asked])} at "
            f"{asked[0].company} too, so no need for another person there: try a new employer."
        )
    return f"Reach out to a second person at {contact.company}."


async def _repeated(ctx: Context, contact: Contact, sent_on: Any) -> Reply | None:
    """Why a request to ``contact`` would not be new outreach: one is still open, or one
    was logged that day. A request counts once."""
    request = await outreach.latest_open(ctx.session, ctx.member, contact)
    who = contacts.label(contact)
    if request is not None:
        state = (
            f"scheduled for {format_date(request.scheduled_for)}"
            if request.status == OutreachStatus.SCHEDULED.value and request.scheduled_for
            else "awaiting a reply"
        )
        return Reply(
            title="Already open",
            text=f"Your request to {who} from {format_date(request.sent_on)} is still open "
            f"({state}), so nothing was added: a request counts once. When they answer, "
            "use /scheduled or /declined.",
        )
    if await outreach.same_day(ctx.session, ctx.member, contact, sent_on):
        return Reply(
            title="Already logged",
            text=f"You already logged outreach to {who} on {format_date(sent_on)}; nothing was "
            "added.",
        )
    return None


async def _introduction(ctx: Context, contact: Contact) -> Field | None:
    """For someone a contact introduced: whether to mention them, as they said."""
    if contact.referred_by_id is None:
        return None
    referrer = await contacts.get(ctx.session, ctx.member, contact.referred_by_id)
    if referrer is None:
        return None
    if contact.may_use_referrer_name:
        return Field(
            f"Mention {referrer.name}",
            f"{referrer.name} introduced you and said you may use their name: say so in "
            "your first line.",
        )
    if contact.may_use_referrer_name is False:
        return Field(
            f"Introduced by {referrer.name}",
            f"{referrer.name} asked not to be named: introduce yourself without it.",
        )
    return None


async def _with_requests(ctx: Context, statuses: tuple[str, ...]) -> set[int]:
    """Contacts with outreach in one of ``statuses`` (what a near match may offer)."""
    rows = await outreach.with_status(ctx.session, ctx.member, statuses)
    return {contact.id for _, contact in rows}


async def scheduled(ctx: Context, args: dict[str, Any]) -> Reply:
    when = args["date"]
    if when < ctx.today:
        raise UserError(
            f"{format_date(when)} has already passed. If the conversation happened, log it.",
            f'/logged-interview "{args["contact"]}" date={when.isoformat()}',
            option="date",
        )
    found = await resolve(
        ctx,
        args["contact"],
        among=await _with_requests(ctx, outreach.OPEN + REOPENABLE),
        unknown=f' Log the request you sent first: /outreach "{args["contact"]}"',
    )
    if isinstance(found, Reply):
        return found
    contact = found.contact
    assert contact is not None  # resolve only proposes new contacts when asked to
    request = await outreach.latest_open(ctx.session, ctx.member, contact)
    if request is None:
        request = await outreach.latest_with_status(ctx.session, ctx.member, contact, REOPENABLE)
    if request is None:
        raise UserError(
            f"There is no request to {contacts.label(contact)} to schedule. Log the one you "
            "sent first (it counts as outreach), then /scheduled.",
            f'/outreach "{contact.name}"',
        )
    return await _schedule(ctx, request, contact, when, args["time"])


async def _schedule(
    ctx: Context, request: Outreach, contact: Contact, when: date, at: time | None
) -> Reply:
    if at is not None and skipped(when, at, ctx.tz):
        raise UserError(
            f"There is no {at:%H:%M} on {format_date(when)} in {ctx.tz.key}: the clocks go "
            "forward that night and skip it. Give a time outside the skipped hour.",
            f'/scheduled "{contact.name}" date={when.isoformat()} time=10:00',
            option="time",
        )
    await plan.unplan(ctx.session, ctx.member, journal.ABOUT_MEETING, request.id)
    await journal.move(ctx.session, ctx.member, request, OutreachStatus.SCHEDULED, ctx.now)
    request.scheduled_for, request.scheduled_time = when, at
    await plan.plan_scheduled(ctx.session, ctx.member, request, ctx.tz, ctx.now)
    moment = f"{format_date(when)} at {at:%H:%M}" if at else format_date(when)
    return Reply(
        title="Interview scheduled",
        text=f"Your conversation with {contacts.label(contact)} is on {moment}. "
        "Prepare a few questions, keep to the time you asked for, and ask for two more names "
        "before you leave. The attached calendar file has the questions and a reminder the "
        "day before" + ("." if at else "; add time=14:30 for a 30-minute entry at that time."),
        actions=[
            PREP.button("", "Prep questions"),
            *await wins.offer(ctx, WinKind.SCHEDULED, request.id),
        ],
        attachment=calendars.call_file(calendar.call_entry(request, contact), ctx.tz, ctx.now),
    )


async def declined(ctx: Context, args: dict[str, Any]) -> Reply:
    found = await resolve(
        ctx,
        args["contact"],
        among=await _with_requests(ctx, outreach.OPEN),
        unknown=" Only requests you logged with /outreach can be marked declined.",
    )
    if isinstance(found, Reply):
        return found
    contact = found.contact
    assert contact is not None  # resolve only proposes new contacts when asked to
    request = await outreach.latest_open(ctx.session, ctx.member, contact)
    if request is None:
        raise UserError(
            f"There is no open outreach to {contacts.label(contact)} to mark declined.",
            OUTREACH_EXAMPLE,
        )
    await journal.move(ctx.session, ctx.member, request, OutreachStatus.DECLINED, ctx.now)
    return Reply(
        title="Marked declined",
        text=f"Marked your request to {contacts.label(contact)} as declined. That happens to "
        "everyone — people are busy. Thank them anyway, and ask someone else.",
    )


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
                # One line: a long-text option would make Discord open a form for /outreach.
                Option(
                    "notes",
                    "Anything to keep with it, e.g. a link (only you see this)",
                    max_length=3000,
                ),
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
                Option("time", "When on that day, your time: 14:30, 2pm", OptionType.TIME),
            ),
            example='/scheduled "Jane Doe" date="next tuesday" time=14:30',
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
