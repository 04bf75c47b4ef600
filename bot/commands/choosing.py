"""Asking the member to choose instead of guessing which contact they meant."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.context import Context
from bot.errors import UserError
from bot.models import Contact
from bot.replies import Button, Reply
from bot.services import contacts

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
