"""/logged-interview and /thanked: the conversation itself and the thank-you it is owed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot import deadlines, pages, wording
from bot.commands import options, wins
from bot.commands.choosing import MAX_CHOICES, owned
from bot.commands.resolve import Found, resolve
from bot.context import Context
from bot.dates import format_date, local_noon_utc
from bot.errors import UserError
from bot.lengths import shown
from bot.models import Contact, HowKnown, Interview, LogKind, OutreachStatus, WinKind
from bot.nudges import plan
from bot.nudges.timing import TIMINGS
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Button, ButtonStyle, Field, Reply
from bot.services import contacts, interviews, journal, outreach

LOG_EXAMPLE = '/logged-interview "Jane Doe" company=Acme date=yesterday referrals="Bob Lee; Ann Wu"'


def thanked_button(interview: Interview, contact: contacts.Named) -> Button:
    """ "Thank-you sent: Jane Doe" — named, since a reply or reminder may carry several (and
    cut here, so no platform has to)."""
    label = shown(f"Thank-you sent: {contact.name}", pages.LABEL_BUDGET)
    return THANKED.button(interview.id, label, ButtonStyle.PRIMARY)


@dataclass
class Referrals:
    """What a logged interview's referral names turned out to be."""

    new: list[str] = field(default_factory=list)  # names to add as contacts
    known: list[Contact] = field(default_factory=list)  # contacts the member already has
    left_out: list[str] = field(default_factory=list)  # the interviewee, named as a referral


async def logged_interview(ctx: Context, args: dict[str, Any]) -> Reply:
    held_on = args["date"] or ctx.today
    if held_on > ctx.today:
        raise UserError(
            f"{format_date(held_on)} hasn't happened yet — log interviews once they are held. "
            "For one coming up, use /scheduled.",
            f'/scheduled "{args["contact"]}" date={held_on.isoformat()}',
            option="date",
        )
    names = interviews.split_referrals(args["referrals"])
    if len(names) > interviews.MAX_REFERRALS:
        raise UserError(
            f"That is {len(names)} referrals; at most {interviews.MAX_REFERRALS} at once.",
            LOG_EXAMPLE,
            option="referrals",
        )
    found = await resolve(ctx, args["contact"], create=True, company=args["company"])
    if isinstance(found, Reply):
        return found
    existing = found.contact
    if existing is not None:
        already = await interviews.on_day(ctx.session, ctx.member, existing, held_on)
        if already is not None:
            return Reply(
                title="Already logged",
                text=f"You already logged your conversation with {contacts.label(existing)} on "
                f"{format_date(held_on)}; nothing was added.",
                actions=[] if already.thanked_at else [thanked_button(already, existing)],
            )
    referred = await _referrals(ctx, names, found)
    if isinstance(referred, Reply):
        return referred
    # Everything is settled: from here on, write.
    contact, before = await _contact(ctx, found, args)
    held_at = ctx.now if held_on == ctx.today else local_noon_utc(held_on, ctx.tz)
    request = (
        None if existing is None else await outreach.latest_open(ctx.session, ctx.member, contact)
    )
    changes: dict[str, Any] = {"contact": before}
    if request is not None:
        changes["request"] = journal.status_of(request)
        outreach.move(request, OutreachStatus.INTERVIEWED, ctx.now)
    may_use = args["may-use-name"]
    added, linked = await _add_referrals(ctx, contact, referred, may_use, changes)
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
        referral_count=len(added),
    )
    await journal.record(
        ctx.session,
        ctx.member,
        LogKind.INTERVIEW,
        ctx.now,
        interview_id=interview.id,
        changes=changes,
    )
    await plan.plan_thanks(ctx.session, ctx.member, interview, ctx.tz, ctx.now)
    if contact.referred_by_id is not None:
        await plan.plan_referral_update(ctx.session, ctx.member, interview, ctx.tz, ctx.now)
    return Reply(
        title="Interview logged",
        text=f"Logged your conversation with {contacts.label(contact)} on {format_date(held_on)}.",
        fields=_logged_fields(interview, contact, added, linked, referred, may_use, ctx.today),
        actions=[
            thanked_button(interview, contact),
            *await wins.offer(ctx, WinKind.INTERVIEW, interview.id, len(added)),
        ],
    )


async def _referrals(ctx: Context, names: list[str], found: Found) -> Referrals | Reply:
    """Each referral name resolved like any contact (a question if it is unclear)."""
    result = Referrals()
    for position, name in enumerate(names):

        def answer(reference: str, position: int = position) -> dict[str, str]:
            return {"referrals": "; ".join(names[:position] + [reference] + names[position + 1 :])}

        if contacts.ref_id(name) is None and contacts.new_name(name) is None:
            contacts.check_name(name, "A referral's name")
        if contacts.name_key(name) == contacts.name_key(found.name):
            result.left_out.append(found.name)
            continue
        referral = await resolve(ctx, name, create=True, answer=answer)
        if isinstance(referral, Reply):
            referral.text = f"About the referral {name}: {referral.text}"
            return referral
        if referral.contact is None:
            if referral.name not in result.new:
                result.new.append(referral.name)
        elif found.contact is not None and referral.contact.id == found.contact.id:
            result.left_out.append(found.name)
        elif referral.contact not in result.known:
            result.known.append(referral.contact)
    return result


async def _contact(ctx: Context, found: Found, args: dict[str, Any]) -> tuple[Contact, dict]:
    """The interviewee, added if new (details as given) or with blanks filled in."""
    if found.contact is None:
        contact = await contacts.create(
            ctx.session, ctx.member, found.name, ctx.now, args["company"], args["role"]
        )
        return contact, {"new": True}
    return found.contact, contacts.fill(found.contact, args["company"], args["role"], None)


async def _add_referrals(
    ctx: Context,
    contact: Contact,
    referred: Referrals,
    may_use: bool | None,
    changes: dict[str, Any],
) -> tuple[list[Contact], list[Contact]]:
    """New names become contacts introduced by ``contact``; contacts the member already had
    gain the link (when they had none) instead of being added or counted again."""
    added = []
    for name in referred.new:
        new = await contacts.create(
            ctx.session,
            ctx.member,
            name,
            ctx.now,
            how_known=HowKnown.REFERRAL,
            referred_by=contact,
        )
        new.may_use_referrer_name = may_use
        added.append(new)
    linked = []
    for known in referred.known:
        if known.referred_by_id not in (None, contact.id):
            continue  # someone else introduced them first; that stays
        changes.setdefault("linked", []).append(
            {
                "id": known.id,
                "referred_by_id": known.referred_by_id,
                "may_use": known.may_use_referrer_name,
            }
        )
        known.referred_by_id = contact.id
        if may_use is not None:
            known.may_use_referrer_name = may_use
        linked.append(known)
    changes["new_referrals"] = [c.id for c in added]
    return added, linked


def _logged_fields(
    interview: Interview,
    contact: Contact,
    added: list[Contact],
    linked: list[Contact],
    referred: Referrals,
    may_use: bool | None,
    today: date,
) -> list[Field]:
    best = "-".join(str(h) for h in TIMINGS.thanks_best_hours)
    due = interview.thank_you_due_on
    if deadlines.overdue(due, today):  # logged late: say so rather than show a past "due"
        late = f"overdue (was due {format_date(due)}) — send it today if you can"
        fields = [Field("Thank-you note", late)]
    else:
        fields = [Field("Thank-you note due", f"{format_date(due)} (best within {best} hours)")]
    if added:
        fields.append(Field("Referrals added to your contacts", _names(added)))
    others = [c for c in referred.known if c not in linked]
    known = [
        f"{_names(linked)}: now noted as introduced by {contact.name} (not added again)."
        if linked
        else "",
        f"{_names(others)}: introduced by someone else before (not added again)." if others else "",
    ]
    if linked or others:
        fields.append(Field("Already your contacts", " ".join(k for k in known if k)))
    if referred.left_out:
        fields.append(
            Field("Left out", f"{contact.name} is who you talked to, so not a referral of theirs.")
        )
    if (added or linked) and may_use is not None:
        fields.append(Field(f"Mentioning {contact.name}", _mention(contact, may_use)))
    if len(added) + len(linked) < 2:
        fields.append(
            Field(
                "Next time",
                "Before you leave, ask for two more names — and whether you may mention "
                f"{contact.name} when you reach out.",
            )
        )
    return fields


def _mention(contact: Contact, may_use: bool) -> str:
    if may_use:
        return f"{contact.name} said you may use their name: /outreach will remind you."
    return f"{contact.name} asked not to be named: introduce yourself without it."


def _names(found: list[Contact]) -> str:
    return ", ".join(c.name for c in found)


async def thanked(ctx: Context, args: dict[str, Any]) -> Reply:
    name = args["contact"]
    waiting = await interviews.awaiting_thanks(ctx.session, ctx.member)
    if name is None:
        if not waiting:
            return Reply(title="Nothing to mark", text="No thank-you notes are waiting. Nice work!")
        return Reply(
            title="Which thank-you did you send?",
            text="Pick the conversation whose thank-you note you sent.",
            actions=[
                THANKED.button(i.id, f"Thank-you sent: {c.name} — {format_date(i.held_on)}")
                for i, c in waiting[:MAX_CHOICES]
            ],
        )
    found = await resolve(
        ctx,
        name,
        among={c.id for _, c in waiting},
        unknown=f' Log the conversation first: /logged-interview "{name}" date=yesterday',
    )
    if isinstance(found, Reply):
        return found
    contact = found.contact
    assert contact is not None  # resolve only proposes new contacts when asked to
    held = await interviews.with_contact(ctx.session, ctx.member, contact)
    if not held:
        raise UserError(
            f"You haven't logged an interview with {contacts.label(contact)} yet. Log it "
            "first, then mark the thank-you.",
            f'/logged-interview "{contact.name}" date=yesterday',
        )
    open_ones = [i for i in held if i.thanked_at is None]
    if not open_ones:
        when = held[0].thanked_on or held[0].held_on
        return Reply(
            title="Already marked",
            text=f"Your thank-you to {contacts.label(contact)} was already marked on "
            f"{format_date(when)}.",
        )
    return await mark_thanked(ctx, open_ones, contact)


async def mark_thanked(ctx: Context, rows: list[Interview], contact: Contact) -> Reply:
    """Mark the notes for ``rows`` sent today (one log, so /undo takes them back together)."""
    timely = [interviews.mark_thanked(i, ctx.now, ctx.today) for i in rows]
    await journal.record(
        ctx.session,
        ctx.member,
        LogKind.THANKED,
        ctx.now,
        interview_id=rows[0].id,
        changes={"interviews": [i.id for i in rows]},
    )
    who = contacts.label(contact)
    late = timely.count(False)
    if len(rows) == 1:
        timing = "a little late, but it still counts" if late else "on time"
        text = f"Marked your thank-you to {who} as sent — {timing}."
    else:
        days = ", ".join(format_date(i.held_on) for i in sorted(rows, key=lambda i: i.held_on))
        timing = "all on time" if not late else f"{late} of them late, but they still count"
        text = (
            f"Marked {wording.plural(len(rows), 'thank-you')} to {who} as sent, one for each "
            f"conversation ({days}) — {timing}."
        )
    return Reply(
        title="Thank-you sent",
        text=f"{text} Now turn any names they gave you into outreach.",
    )


async def press_thanked(ctx: Context, argument: str) -> Reply:
    interview = await owned(ctx, Interview, argument, "interview")
    contact = await contacts.get(ctx.session, ctx.member, interview.contact_id)
    assert contact is not None  # same member, and contacts outlive their interviews
    if interview.thanked_at is not None:
        when = interview.thanked_on or interview.held_on
        return Reply(
            title="Already marked",
            text=f"Your thank-you to {contacts.label(contact)} was already marked on "
            f"{format_date(when)}.",
        )
    return await mark_thanked(ctx, [interview], contact)


THANKED = Action("thanked", press_thanked)


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
                    "may-use-name",
                    "May you mention them to those names? yes or no",
                    OptionType.BOOLEAN,
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
