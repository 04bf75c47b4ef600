"""/logged-interview and /thanked: the conversation itself and the thank-you it is owed."""

from __future__ import annotations

from typing import Any

from bot.commands import options
from bot.commands.choosing import MAX_CHOICES, button_id, exact_or_choices
from bot.context import Context
from bot.dates import format_date, local_noon_utc
from bot.errors import UserError
from bot.models import Contact, HowKnown, Interview, OutreachStatus
from bot.nudges import plan
from bot.nudges.timing import TIMINGS
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Button, ButtonStyle, Field, Reply
from bot.services import contacts, interviews, outreach

LOG_EXAMPLE = '/logged-interview "Jane Doe" company=Acme date=yesterday referrals="Bob Lee; Ann Wu"'


def thanked_button(interview: Interview) -> Button:
    return THANKED.button(interview.id, "Thank-you sent", ButtonStyle.PRIMARY)


async def logged_interview(ctx: Context, args: dict[str, Any]) -> Reply:
    held_on = args["date"] or ctx.today
    if held_on > ctx.today:
        raise UserError(
            f"{format_date(held_on)} hasn't happened yet — log interviews once they are held. "
            "For one coming up, use /scheduled.",
            f'/scheduled "{args["contact"]}" date={held_on.isoformat()}',
            option="date",
        )
    referral_names = interviews.split_referrals(args["referrals"])
    if len(referral_names) > interviews.MAX_REFERRALS:
        raise UserError(
            f"That is {len(referral_names)} referrals; at most {interviews.MAX_REFERRALS} at once.",
            LOG_EXAMPLE,
            option="referrals",
        )
    contact, new = await contacts.find_or_create(
        ctx.session, ctx.member, args["contact"], ctx.now, args["company"], args["role"]
    )
    existing = None if new else await interviews.on_day(ctx.session, ctx.member, contact, held_on)
    if existing is not None:
        return Reply(
            text=f"You already logged your conversation with {contacts.label(contact)} on "
            f"{format_date(held_on)}; nothing was added.",
            actions=[] if existing.thanked_at else [thanked_button(existing)],
        )
    held_at = ctx.now if held_on == ctx.today else local_noon_utc(held_on, ctx.tz)
    request = None if new else await outreach.latest_open(ctx.session, ctx.member, contact)
    if request is not None:
        outreach.move(request, OutreachStatus.INTERVIEWED, ctx.now)
    referred = [
        (
            await contacts.find_or_create(
                ctx.session,
                ctx.member,
                name,
                ctx.now,
                how_known=HowKnown.REFERRAL,
                referred_by=contact,
            )
        )[0]
        for name in referral_names
    ]
    interview = await interviews.log(
        ctx.session,
        ctx.member,
        contact,
        held_on,
        held_at,
        ctx.now,
        via=args["via"],
        notes=args["notes"],
        outreach_id=request.id if request else None,
        referral_count=len(referred),
    )
    await plan.plan_thanks(ctx.session, ctx.member, interview, ctx.now)
    if contact.referred_by_id is not None:
        await plan.plan_referral_update(ctx.session, ctx.member, interview, ctx.tz, ctx.now)
    due = interview.thank_you_due.astimezone(ctx.tz).date()
    best = "-".join(str(h) for h in TIMINGS.thanks_best_hours)
    fields = [Field("Thank-you note due", f"{format_date(due)} (best within {best} hours)")]
    if referred:
        fields.append(
            Field("Referrals added to your contacts", ", ".join(c.name for c in referred))
        )
    if len(referred) < 2:
        fields.append(
            Field(
                "Next time",
                "Before you leave, ask for two more names — and whether you may mention "
                f"{contact.name} when you reach out.",
            )
        )
    return Reply(
        title="Interview logged",
        text=f"Logged your conversation with {contacts.label(contact)} on {format_date(held_on)}.",
        fields=fields,
        actions=[thanked_button(interview)],
    )


async def thanked(ctx: Context, args: dict[str, Any]) -> Reply:
    name = args["contact"]
    if name is None:
        pending = await interviews.awaiting_thanks(ctx.session, ctx.member)
        if not pending:
            return Reply(text="No thank-you notes are waiting. Nice work!")
        return _pick_interview("Which thank-you did you send?", pending)
    found = await exact_or_choices(ctx, name, _contact_thanked_button, "that you interviewed")
    if isinstance(found, Reply):
        return found
    latest = await interviews.latest_with(ctx.session, ctx.member, found)
    if not latest:
        raise UserError(
            f"You haven't logged an interview with {name} yet. Log it first, then mark the "
            "thank-you.",
            f'/logged-interview "{name}" date=yesterday',
        )
    if len(latest) > 1:
        return _pick_interview(f"You have more than one {name}. Which one?", latest)
    interview, contact = latest[0]
    return mark_thanked(ctx, interview, contact)


def _contact_thanked_button(contact: Contact) -> Button:
    return THANKED_CONTACT.button(contact.id, contacts.label(contact))


def _pick_interview(heading: str, rows: list[tuple[Interview, Contact]]) -> Reply:
    buttons = [
        THANKED.button(i.id, f"{contacts.label(c)} — {format_date(i.held_on)}")
        for i, c in rows[:MAX_CHOICES]
    ]
    return Reply(text=heading, actions=buttons)


def mark_thanked(ctx: Context, interview: Interview, contact: Contact) -> Reply:
    if interview.thanked_at is not None:
        when = format_date(interview.thanked_at.astimezone(ctx.tz).date())
        return Reply(
            text=f"Your thank-you to {contacts.label(contact)} was already marked on {when}."
        )
    interview.thanked_at = ctx.now
    late = ctx.now > interview.thank_you_due
    timing = "a little late, but it still counts" if late else "on time"
    return Reply(
        title="Thank-you sent",
        text=f"Marked your thank-you to {contacts.label(contact)} as sent — {timing}. "
        "Now turn any names they gave you into outreach.",
    )


async def press_thanked(ctx: Context, argument: str) -> Reply:
    interview = await interviews.get(ctx.session, ctx.member, button_id(argument))
    if interview is None:
        raise UserError("I can't find that interview among yours; it may have been deleted.")
    contact = await contacts.get(ctx.session, ctx.member, interview.contact_id)
    assert contact is not None  # same member, and contacts outlive their interviews
    return mark_thanked(ctx, interview, contact)


async def press_thanked_contact(ctx: Context, argument: str) -> Reply:
    contact = await contacts.get(ctx.session, ctx.member, button_id(argument))
    if contact is None:
        raise UserError("I can't find that contact among yours; it may have been deleted.")
    return await thanked(ctx, {"contact": contact.name})


THANKED = Action("thanked", press_thanked)
THANKED_CONTACT = Action("thanked-contact", press_thanked_contact)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="logged-interview",
            description="Log an informational interview you held",
            handler=logged_interview,
            options=(
                options.CONTACT,
                options.COMPANY,
                options.ROLE,
                options.WHEN_HELD,
                options.MEETING_VIA,
                Option(
                    "referrals",
                    "Names they suggested, separated by ; e.g. Bob Lee; Ann Wu",
                    OptionType.TEXT,
                    max_length=1000,
                ),
                Option(
                    "notes",
                    "What you learned (only you can see this)",
                    OptionType.TEXT,
                    max_length=3000,
                ),
            ),
            example=LOG_EXAMPLE,
        )
    )
    registry.add(
        Command(
            name="thanked",
            description="Mark the thank-you note to a contact as sent",
            handler=thanked,
            options=(Option("contact", "Who you thanked, e.g. Jane Doe", OptionType.CONTACT),),
            example='/thanked "Jane Doe"',
        )
    )
    registry.add_action(THANKED)
    registry.add_action(THANKED_CONTACT)
