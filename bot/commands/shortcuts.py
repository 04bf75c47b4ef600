"""Shortcuts: logging from where a contact's answer is read — a message — or from anywhere.

- **Log as outreach** (on a message): the /outreach form, with the message's author as
  the contact when they are a person of the workspace who does not use peerpath (a
  member writing is a peer, not a contact; an app is nobody), and the message's link in
  the notes.
- **Log a reply** (on a message): the member picks which of their open requests the
  message answers, and how — scheduled (with the day) or declined; stored exactly as
  /scheduled and /declined store it, because it runs them.
- **Log an interview** (anywhere): the /logged-interview form.

Every shortcut answers with a form (``Reply.form``) the platform opens; its submission
runs a command like any other, so checks and errors read the same as typed ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import wording
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.lengths import cut, shown, shown_length
from bot.models import Contact, OutreachStatus
from bot.registry import (
    Command,
    Message,
    Option,
    OptionType,
    Registry,
    Shortcut,
    ShortcutKind,
)
from bot.replies import CHOICE_LABEL, MOST_CHOICES, Form, Reply
from bot.services import contacts, members, outreach

ANSWERS = ("scheduled", "declined")
REPLY_EXAMPLE = '/scheduled "Jane Doe" date=friday  or  /declined "Jane Doe"'


async def log_as_outreach(ctx: Context, message: Message | None) -> Reply:
    found = message or Message()
    contact = ""
    if (
        found.author_is_person
        and found.author_id
        and found.author_id != ctx.invocation.user_id
        and await members.find_member(ctx.session, ctx.workspace, found.author_id) is None
    ):
        contact = cut(found.author_name, contacts.MAX_NAME)  # as long as a contact's name may be
    return _form("outreach", "Log as outreach", (("contact", contact), ("notes", found.link or "")))


async def log_a_reply(ctx: Context, message: Message | None) -> Reply:
    """The form for the member's open requests, one choice per contact (/scheduled and
    /declined take a contact's latest request): first those to the message's author —
    picked when the author is exactly one of the member's contacts, never guessed between
    namesakes — then the newest others, as many as a menu holds; the form says how many
    more there are and how to log them."""
    waiting = await outreach.with_status(ctx.session, ctx.member, (OutreachStatus.SENT.value,))
    if not waiting:
        raise UserError(
            "You have no outreach waiting for a reply. Log the request you sent first "
            "(Log as outreach on your message, or /outreach); then its answer.",
            '/outreach "Jane Doe" company=Acme',
        )
    waiting.sort(key=lambda row: (row[0].sent_on, row[0].id), reverse=True)
    latest: dict[str, tuple[str, bool]] = {}  # contact ref → (label, by the message's author)
    author = contacts.name_key(message.author_name) if message and message.author_name else None
    for request, contact in waiting:
        mine = author is not None and contacts.name_key(contact.name) == author
        latest.setdefault(contacts.ref(contact), (_choice_label(contact, request.sent_on), mine))
    authors = [ref for ref, (_, mine) in latest.items() if mine]
    ordered = sorted(latest.items(), key=lambda item: not item[1][1])  # stable: newest first
    offered = tuple((label, ref) for ref, (label, _) in ordered[:MOST_CHOICES])
    left = len(ordered) - len(offered)
    note = (
        f"{wording.plural(left, 'more open request')} {'is' if left == 1 else 'are'} not "
        "listed here (the oldest): log their answers with /scheduled or /declined."
        if left
        else ""
    )
    fields = (("request", authors[0] if len(authors) == 1 else ""),)
    return Reply(
        title="Log a reply",
        text="Which request does this answer, and how? The same as /scheduled or /declined.",
        form=Form(
            REPLY.name,
            "Log a reply",
            fields,
            choices=(("request", offered),),
            all_options=True,
            note=note,
        ),
    )


def _choice_label(contact: Contact, sent_on: date) -> str:
    """``Jane Doe (Acme) — sent Mon 3 Mar`` within a menu's label: a long name is cut
    first, so the company and the day, which tell namesakes apart, stay whole."""
    tail = f" — sent {format_date(sent_on)}"
    company = f" ({contact.company})" if contact.company else ""
    room = CHOICE_LABEL - shown_length(company + tail)
    if room < 12:  # a company too long to keep whole: both shortened
        company = f" ({shown(contact.company or '', CHOICE_LABEL // 3)})"
        room = CHOICE_LABEL - shown_length(company + tail)
    return f"{shown(contact.name, room)}{company}{tail}"


async def log_an_interview(ctx: Context, message: Message | None) -> Reply:
    return _form("logged-interview", "Log an interview", ())


async def logged_reply(ctx: Context, args: dict[str, Any]) -> Reply:
    """Store the answer as /scheduled or /declined would (it runs them, with what was
    picked and typed)."""
    assert ctx.run_command is not None  # the core always provides it
    typed = dict(ctx.typed)
    if args["answer"] == "declined":
        return await ctx.run_command("declined", {"contact": typed["request"]})
    if args["date"] is None:
        raise UserError(
            "Which day will you talk? A scheduled reply needs its day.", REPLY_EXAMPLE, "date"
        )
    when = {k: typed[k] for k in ("date", "time") if typed.get(k)}
    return await ctx.run_command("scheduled", {"contact": typed["request"], **when})


def _form(command: str, title: str, fields: tuple[tuple[str, str], ...]) -> Reply:
    """``command``'s whole form, ``fields`` filled in; typed, the same command."""
    return Reply(
        title=title,
        text=f"Fill in the form; it saves as /{command} does.",
        form=Form(command, title, fields, all_options=True),
    )


REPLY = Command(
    name="reply",
    description="Record how a contact answered your request",
    handler=logged_reply,
    options=(
        Option(
            "request",
            "The request this message answers",
            OptionType.CONTACT,
            required=True,
        ),
        Option("answer", "What they said", choices=ANSWERS, required=True),
        Option(
            "date",
            "The day you'll talk (scheduled): friday, 2026-03-20",
            OptionType.DATE,
            prefer_future=True,
        ),
        Option("time", "When on that day, your time: 14:30", OptionType.TIME),
    ),
    example=REPLY_EXAMPLE,
)
SHORTCUTS = (
    Shortcut(
        "log-outreach",
        "Log as outreach",
        "Log this message as outreach you sent, its author as the contact",
        ShortcutKind.MESSAGE,
        log_as_outreach,
    ),
    Shortcut(
        "log-reply",
        "Log a reply",
        "Log this message as a contact's answer: scheduled or declined",
        ShortcutKind.MESSAGE,
        log_a_reply,
    ),
    Shortcut(
        "log-interview",
        "Log an interview",
        "Log an informational interview you held",
        ShortcutKind.GLOBAL,
        log_an_interview,
    ),
)


def register(registry: Registry) -> None:
    registry.add_form(REPLY)
    for shortcut in SHORTCUTS:
        registry.add_shortcut(shortcut)
