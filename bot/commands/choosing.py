"""Asking the member instead of guessing: which contact, which date.

:func:`ask` keeps what the member typed and offers the readings as buttons; a press runs
the same command again with the chosen reading filled in (``choose:<question>:<n>``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import select

from bot.context import Context
from bot.errors import UserError
from bot.registry import Action
from bot.replies import Reply
from bot.services import choices

T = TypeVar("T")

MAX_CHOICES = 5


def button_id(argument: str) -> int:
    """The row id a button carries; anything else means the button was tampered with."""
    if not (argument.isascii() and argument.isdigit()) or len(argument) > 18:
        raise UserError("That button is damaged; run the command again.")
    return int(argument)


SOMEONE_ELSES = "This button is for someone else."


async def owned(ctx: Context, model: type[T], argument: str, what: str) -> T:
    """The pressing member's own ``model`` row a button names. A row of another member's
    answers that the button is someone else's (no more about it); none at all, that it
    is gone."""
    row_id = button_id(argument)
    table: Any = model
    row = await ctx.session.scalar(
        select(model).where(table.id == row_id, table.workspace_id == ctx.member.workspace_id)
    )
    if row is None:
        raise UserError(f"I can't find that {what} any more; it may have been deleted.")
    if row.member_id != ctx.member.id:  # type: ignore[attr-defined]
        raise UserError(SOMEONE_ELSES)
    return row


async def ask(
    ctx: Context,
    question: str,
    answers: Sequence[tuple[str, Mapping[str, Any]]],
    title: str = "Which one?",
) -> Reply:
    """A private question with one button per answer (``(label, options it sets)``, at
    most five); pressing one runs the current command again with those options in place of
    what was typed. Only the member who was asked can answer, once, within a day."""
    if ctx.command is None:
        raise RuntimeError("ask() outside a command")
    answers = list(answers)[:MAX_CHOICES]
    asked = await choices.store(
        ctx.session, ctx.member, ctx.command, ctx.typed, [a for _, a in answers], ctx.now
    )
    buttons = [CHOOSE.button(f"{asked}:{n}", label) for n, (label, _) in enumerate(answers)]
    return Reply(title=title, text=question, actions=buttons)


async def press_choose(ctx: Context, argument: str) -> Reply:
    asked_id, _, number = argument.partition(":")
    found = await choices.take(ctx.session, ctx.member, button_id(asked_id), ctx.now)
    if found.someone_elses:
        raise UserError(SOMEONE_ELSES)
    if found.asked is None or not number.isdigit() or int(number) >= len(found.asked.answers):
        raise UserError("That question was answered already or has expired; run the command again.")
    assert ctx.run_command is not None  # set by the core for every unit of work
    typed = {**found.asked.typed, **found.asked.answers[int(number)]}
    return await ctx.run_command(found.asked.command, typed)


CHOOSE = Action("choose", press_choose)
