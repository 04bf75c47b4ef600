"""/history: your last logs, to look back on and mend.

Each log in the list opens with **Edit** (a form with its fields on Slack and Discord;
``/history edit=N date=… via=… notes=…`` typed anywhere) and **Delete** (after a
confirmation). Fifteen logs with two buttons each would be more buttons than a Discord
message holds, so the list has one button per log and the log its own two.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import deadlines, wording
from bot.commands.choosing import SOMEONE_ELSES
from bot.commands.goals import week_and_streak
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.models import Interview, MeetingVia, OutreachStatus, Via
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import ButtonStyle, Field, Form, Reply
from bot.services import contacts, journal, records
from bot.services.records import Listed, Record
from bot.streaks import Week

HISTORY_EXAMPLE = "/history edit=1 date=yesterday"
ANY_VIA = tuple(dict.fromkeys([*(v.value for v in MeetingVia), *(v.value for v in Via)]))
STATES = {
    OutreachStatus.SENT.value: "awaiting a reply",
    OutreachStatus.DECLINED.value: "declined",
    OutreachStatus.NO_RESPONSE.value: "no reply",
    OutreachStatus.INTERVIEWED.value: "led to an interview",
}


def what(log: Listed | Record) -> str:
    """``outreach to Jane Doe (Acme) on Wed 18 Nov`` / ``interview with …``."""
    log = log if isinstance(log, Listed) else records.listed(log)
    who, day = contacts.label(log), format_date(log.day)
    return f"outreach to {who} on {day}" if log.kind == "o" else f"interview with {who} on {day}"


def line(log: Listed, today: date) -> str:
    """One log as the list shows it: what, when, how, and where it stands."""
    said = what(log)
    parts = [said[0].upper() + said[1:]]
    if log.via and log.via != "other":
        parts.append(f"via {log.via}")
    if log.kind == "o":
        if log.status == OutreachStatus.SCHEDULED.value and log.scheduled_for:
            parts.append(f"scheduled for {format_date(log.scheduled_for)}")
        else:
            parts.append(STATES.get(log.status or "", log.status or ""))
        return ", ".join(parts)
    if log.thanked_on is not None:
        parts.append(f"thank-you sent {format_date(log.thanked_on)}")
    elif log.due_on is not None:
        parts.append("thank-you " + deadlines.due_words(log.due_on, today))
    if log.referral_count:
        parts.append(wording.plural(log.referral_count, "referral"))
    return ", ".join(parts)


async def history(ctx: Context, args: dict[str, Any]) -> Reply:
    changes = {k: args[k] for k in ("date", "via", "notes") if args[k] is not None}
    if args["edit"] is not None and args["delete"] is not None:
        raise UserError("Edit or delete one log at a time.", HISTORY_EXAMPLE)
    if args["delete"] is not None:
        record = await _typed(ctx, args["delete"])
        if args["confirm"] == "yes":
            return await _delete(ctx, record)
        return _confirm_delete(record)
    if args["edit"] is not None:
        record = await _typed(ctx, args["edit"])
        if not changes:
            return edit_form(record)
        return await _edit(ctx, record, changes)
    if changes:
        raise UserError(
            f"Say which log to change with edit=N (its number in /history): "
            f"{', '.join(changes)} alone changes nothing.",
            HISTORY_EXAMPLE,
        )
    found = await records.recent(ctx.session, ctx.member)
    if not found:
        return Reply(
            title="No logs yet",
            text="Nothing logged yet. Start with /outreach or /logged-interview.",
        )
    lines = [f"{n}. {line(r, ctx.today)}" for n, r in enumerate(found, start=1)]
    return Reply(
        title="Your last log" if len(found) == 1 else f"Your last {len(found)} logs",
        text="\n".join(lines) + "\n\nOpen one to edit or delete it "
        "(or type /history edit=N date=… / /history delete=N).",
        actions=[
            OPEN.button(r.ref, f"{n}. {_kind(r)}: {contacts.label(r)}")
            for n, r in enumerate(found, start=1)
        ],
    )


def _kind(log: Listed | Record) -> str:
    kind = log.kind if isinstance(log, Listed) else records.listed(log).kind
    return "Outreach" if kind == "o" else "Interview"


async def _typed(ctx: Context, text: str) -> Record:
    """The member's log numbered ``text`` in /history (or referred to as ``i7``, ``o12``)."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= records.SHOWN:
        found = await records.recent(ctx.session, ctx.member)
        if int(text) <= len(found):
            text = found[int(text) - 1].ref
    parsed = records.parse_ref(text)
    if parsed is not None:
        record = await records.get(ctx.session, ctx.member.workspace_id, *parsed)
        if record is not None and record.row.member_id == ctx.member.id:
            return record
    shown = min(len(await records.recent(ctx.session, ctx.member)), records.SHOWN)
    numbers = "it has no logs yet" if not shown else f"use the number it shows (1 to {shown})"
    raise UserError(f"There is no log {text[:20]} in your /history; {numbers}.", HISTORY_EXAMPLE)


async def _pressed(ctx: Context, argument: str) -> Record:
    """The log a button names — the pressing member's own, or a refusal saying whose."""
    parsed = records.parse_ref(argument)
    if parsed is None:
        raise UserError("That button is damaged; run /history again.")
    record = await records.get(ctx.session, ctx.member.workspace_id, *parsed)
    if record is None:
        raise UserError("I can't find that log any more; it may have been deleted.")
    if record.row.member_id != ctx.member.id:
        raise UserError(SOMEONE_ELSES)
    return record


async def press_open(ctx: Context, argument: str) -> Reply:
    record = await _pressed(ctx, argument)
    text = line(records.listed(record), ctx.today) + "."
    if record.row.notes:  # a request's or an interview's, shown to their author only
        text += f"\nNotes: {record.row.notes}"
    return Reply(
        title=f"{_kind(record)}: {record.contact.name}",
        text=text,
        actions=[
            EDIT.button(record.ref, f"Edit: {record.contact.name}"),
            DELETE.button(record.ref, f"Delete: {record.contact.name}", ButtonStyle.DANGER),
        ],
    )


def edit_form(record: Record) -> Reply:
    """The form for a log's fields, filled in with what they hold; typed, the same."""
    row = record.row
    fields = [("date", record.day.isoformat()), ("via", row.via or ""), ("notes", row.notes or "")]
    typed = " ".join(f"{name}={_quoted(value)}" for name, value in fields if value)
    return Reply(
        title=f"Edit your {what(record)}",
        text=f"Change any of it with /history edit={record.ref} {typed}".rstrip(),
        form=Form(
            command="history",
            title=f"Edit {_kind(record).lower()}",
            fields=tuple(fields),
            hidden=(("edit", record.ref),),
        ),
    )


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


async def press_edit(ctx: Context, argument: str) -> Reply:
    return edit_form(await _pressed(ctx, argument))


async def _edit(ctx: Context, record: Record, changes: dict[str, Any]) -> Reply:
    row = record.row
    interview = isinstance(row, Interview)
    allowed = tuple(v.value for v in (MeetingVia if interview else Via))
    if "via" in changes and changes["via"] not in allowed:
        raise UserError(
            f"via for {'an interview' if interview else 'outreach'} is one of: "
            f"{', '.join(allowed)}.",
            HISTORY_EXAMPLE,
            option="via",
        )
    day = changes.get("date")
    if day is not None and day > ctx.today:
        raise UserError(
            f"{format_date(day)} hasn't happened yet; a log's date is the day it happened.",
            HISTORY_EXAMPLE,
            option="date",
        )
    thanked = getattr(row, "thanked_on", None) if interview else None
    if day is not None and thanked is not None and day > thanked:
        raise UserError(
            f"Your thank-you for this interview is marked sent on {format_date(thanked)}, "
            f"before {format_date(day)}: a thank-you follows its interview, so the interview "
            f"was on {format_date(thanked)} or earlier.",
            HISTORY_EXAMPLE,
            option="date",
        )
    before = what(record)
    if day is not None and day != record.day:
        await records.redate(ctx.session, ctx.member, record, day, ctx.tz, ctx.now)
    if "via" in changes:
        row.via = changes["via"]
    if "notes" in changes:  # a request's or an interview's, private to the member
        row.notes = changes["notes"]
    this_week, _ = await week_and_streak(ctx)
    return Reply(
        title="Log edited",
        text=f"Your {before} now reads: {line(records.listed(record), ctx.today)}.",
        fields=[_week_field(ctx, this_week)],
    )


def _confirm_delete(record: Record) -> Reply:
    return Reply(
        title="Delete this log?",
        text=f"Delete your {what(record)}? Its reminders go with it and your counts are "
        "recounted. This can't be undone.",
        actions=[
            DELETE_CONFIRMED.button(
                record.ref, f"Delete: {record.contact.name}", ButtonStyle.DANGER
            )
        ],
    )


async def press_delete(ctx: Context, argument: str) -> Reply:
    return _confirm_delete(await _pressed(ctx, argument))


async def _delete(ctx: Context, record: Record) -> Reply:
    described = what(record)
    await journal.delete_record(ctx.session, ctx.member, record.row)
    this_week, _ = await week_and_streak(ctx)
    return Reply(
        title="Log deleted",
        text=f"Deleted your {described}.",
        fields=[_week_field(ctx, this_week)],
    )


async def press_delete_confirmed(ctx: Context, argument: str) -> Reply:
    return await _delete(ctx, await _pressed(ctx, argument))


def _week_field(ctx: Context, week: Week) -> Field:
    return Field("This week now", wording.progress(week, ctx.today))


OPEN = Action("log", press_open)
EDIT = Action("log-edit", press_edit)
DELETE = Action("log-delete", press_delete)
DELETE_CONFIRMED = Action("log-deleted", press_delete_confirmed)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="history",
            description="Your last 15 logs, to edit or delete one",
            handler=history,
            options=(
                Option("edit", "The log to change: its number in /history, e.g. 2"),
                Option("delete", "The log to delete: its number in /history"),
                Option("date", "Its new date: 2026-03-14, yesterday", OptionType.DATE),
                Option("via", "How it went: email, linkedin, video, phone…", choices=ANY_VIA),
                # One line: a long-text option would make Discord open a form for /history.
                Option("notes", "New notes (only you see them)", max_length=3000),
                Option("confirm", "Type yes to delete without asking", choices=("yes",)),
            ),
            example=HISTORY_EXAMPLE,
        )
    )
    for action in (OPEN, EDIT, DELETE, DELETE_CONFIRMED):
        registry.add_action(action)
