"""/import: contacts from a LinkedIn connections export or a plain CSV — previewed, then
added in one go when the member presses Import (the rules are in
``bot/services/imports.py``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from bot import wording
from bot.commands.choosing import owned
from bot.context import Context
from bot.errors import UserError
from bot.models import PendingImport
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import ButtonStyle, Field, Reply
from bot.services import imports

KEPT_FOR = timedelta(days=1)  # a preview's Import button works this long


async def import_command(ctx: Context, args: dict[str, Any]) -> Reply:
    upload = args["file"]
    reading = await imports.read(ctx.session, ctx.member, upload.content)
    if not reading.new:
        return Reply(
            title="Nothing to import",
            text=f"{upload.filename[:80]} has no new contacts for you.",
            fields=_skipped(reading),
        )
    pending = await imports.keep(
        ctx.session, ctx.member, upload.filename, imports.decode(upload.content), ctx.now
    )
    return Reply(
        title="Import preview",
        text=f"{upload.filename[:80]}: {wording.plural(len(reading.new), 'new contact')} "
        "to add. They help rank your /targets; none counts as outreach until you reach out.",
        fields=[*_examples(reading), *_skipped(reading)],
        actions=[
            IMPORT.button(pending.id, "Import", ButtonStyle.PRIMARY),
            CANCEL.button(pending.id, "Cancel"),
        ],
    )


def _examples(reading: imports.Reading) -> list[Field]:
    shown = [f"{r.name} ({r.company})" if r.company else r.name for r in reading.new[:3]]
    more = len(reading.new) - len(shown)
    return [Field("For example", ", ".join(shown) + (f" and {more:,} more" if more else ""))]


def _skipped(reading: imports.Reading) -> list[Field]:
    if not reading.skipped:
        return []
    reasons = ", ".join(f"{count:,} {why}" for why, count in reading.skipped.most_common())
    return [Field(f"Left out ({sum(reading.skipped.values()):,})", reasons)]


async def press_import(ctx: Context, argument: str) -> Reply:
    pending = await _pending(ctx, argument)
    reading = await imports.read(ctx.session, ctx.member, pending.content.encode())
    await imports.add(ctx.session, ctx.member, reading.new, ctx.now)
    await ctx.session.delete(pending)
    return Reply(
        title="Contacts imported",
        text=f"Added {wording.plural(len(reading.new), 'contact')} from {pending.filename}. "
        "/targets now counts them; log outreach when you write to one.",
        fields=_skipped(reading),
    )


async def press_cancel(ctx: Context, argument: str) -> Reply:
    pending = await _pending(ctx, argument)
    await ctx.session.delete(pending)
    return Reply(title="Import cancelled", text="Nothing was imported.")


async def _pending(ctx: Context, argument: str) -> PendingImport:
    pending = await owned(ctx, PendingImport, argument, "import preview")
    if ctx.now - pending.created_at > KEPT_FOR:
        await ctx.session.execute(delete(PendingImport).where(PendingImport.id == pending.id))
        raise UserError("That preview is more than a day old; run /import again.")
    return pending


IMPORT = Action("import", press_import)
CANCEL = Action("import-cancel", press_cancel)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="import",
            description="Import contacts from LinkedIn's Connections.csv or a CSV file",
            handler=import_command,
            options=(
                Option(
                    "file",
                    "LinkedIn Connections.csv, or a CSV with name, company, role, how-known",
                    OptionType.FILE,
                    required=True,
                ),
            ),
            example=imports.EXAMPLE,
        )
    )
    registry.add_action(IMPORT)
    registry.add_action(CANCEL)
