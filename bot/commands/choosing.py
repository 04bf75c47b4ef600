"""Asking the member instead of guessing: which contact, which date.

:func:`ask` keeps what the member typed and offers the readings as buttons; a press runs
the same command again with the chosen reading filled in (``choose:<question>:<n>``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.models import Contact
from bot.registry import Action
from bot.replies import Button, Reply
from bot.services import choices, contacts

MAX_CHOICES = 5


async def exact_or_choices(
    ctx: Context,
    name: str,
    button: Callable[[Contact], Button | None],
    what: str,
) -> list[Contact] | Reply:
    """Contacts named exactly ``name``, or a reply listing near matches as buttons."""
    found = await contacts.exact(ctx.session, ctx.member, name)
    if found:
        return found
    near = await contacts.similar(ctx.session, ctx.member, name)
    return choose(f"I don't have anyone called *{name}* {what}.", near, button)


def choose(
    heading: str, candidates: Sequence[Contact], button: Callable[[Contact], Button | None]
) -> Reply:
    """A private reply offering up to five candidates as buttons (or saying there are none)."""
    buttons = [b for b in (button(c) for c in candidates) if b is not None][:MAX_CHOICES]
    if not buttons:
        return Reply(text=heading + " Check the spelling, or see /pending for what is open.")
    return Reply(text=heading + " Did you mean one of these?", actions=buttons)


def button_id(argument: str) -> int:
    """The row id a button carries; anything else means the button was tampered with."""
    if not (argument.isascii() and argument.isdigit()) or len(argument) > 18:
        raise UserError("That button is damaged; run the command again.")
    return int(argument)


async def ask(
    ctx: Context, question: str, answers: Sequence[tuple[str, Mapping[str, Any]]]
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
    return Reply(text=question, actions=buttons)


async def press_choose(ctx: Context, argument: str) -> Reply:
    asked_id, _, number = argument.partition(":")
    found = await choices.take(ctx.session, ctx.member, button_id(asked_id), ctx.now)
    if found.someone_elses:
        raise UserError("This button is for someone else.")
    if found.asked is None or not number.isdigit() or int(number) >= len(found.asked.answers):
        raise UserError("That question was answered already or has expired; run the command again.")
    assert ctx.run_command is not None  # set by the core for every unit of work
    typed = {**found.asked.typed, **found.asked.answers[int(number)]}
    return await ctx.run_command(found.asked.command, typed)


CHOOSE = Action("choose", press_choose)
