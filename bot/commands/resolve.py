"""One name, one contact — or a question.

Every command that takes a contact (and /logged-interview's referrals) finds it here,
the same way:

- ``#12`` — an autocomplete choice, or the answer to a question — is the member's own
  contact 12 (``contacts.ref``);
- a name that is exactly one contact's is that contact; given with a company, the one
  at that company;
- two or more contacts with the name: a question, one button each, labelled with their
  companies;
- a partial or close match (Bob for Bob O'Brien, Jon for John) is offered, never
  assumed;
- only a command allowed to add contacts (/outreach, /logged-interview) creates one,
  and only when nothing matches or is close — or when the member answers "New contact".

A question keeps everything the member typed and runs their command again with the
answer filled in (``choosing.ask``), so notes are never typed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, NamedTuple

from bot import wording
from bot.commands.choosing import MAX_CHOICES, ask
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.models import Contact
from bot.replies import Reply
from bot.services import contacts
from bot.services.contacts import name_key

# The options an answer sets, given the reference it chose (``#12`` or ``#new:Name``).
Answer = Callable[[str], Mapping[str, Any]]


class Found(NamedTuple):
    """The contact meant, or (``contact`` None) a new one to add under ``name`` — which the
    command creates once everything it needs is settled, so a question asked after this
    one leaves nothing half-written."""

    contact: Contact | None
    name: str


def as_contact(reference: str) -> Mapping[str, Any]:
    return {"contact": reference}


async def resolve(
    ctx: Context,
    typed: str,
    *,
    create: bool = False,
    company: str | None = None,
    among: Collection[int] | None = None,
    answer: Answer = as_contact,
    unknown: str = "",
) -> Found | Reply:
    """The contact ``typed`` names, or the question to ask (a reply to return as it is).

    ``among``: the contacts that make sense for this command (open outreach, say), the
    only ones offered as near matches. ``unknown``: what to add when nobody matches and
    nobody can be created (how to log them first)."""
    number = contacts.ref_id(typed)
    if number is not None:
        contact = await contacts.get(ctx.session, ctx.member, number)
        if contact is None:
            raise UserError(
                "I can't find that contact among yours; it may have been deleted. "
                "Type their name instead.",
                in_form="I can't find that contact among yours: it may have been deleted, or "
                "undone since this form opened. Close the form and open it again.",
            )
        return Found(contact, contact.name)
    fresh = contacts.new_name(typed)
    if fresh is not None and create:
        return Found(None, contacts.check_name(fresh))
    name = " ".join((fresh or typed).split())
    if create:
        contacts.check_name(name)
    exact = await contacts.exact(ctx.session, ctx.member, name)
    if exact:
        return await _same_name(ctx, name, exact, create, company, answer)
    near = await contacts.similar(ctx.session, ctx.member, name)
    if among is not None:
        near = [c for c in near if c.id in among]
    if near:
        offer = near[: MAX_CHOICES - 1] if create else near
        question = f"I don't have anyone called {name}. Did you mean one of these?"
        return await _question(
            ctx, question, offer, _new(name, company) if create else None, answer
        )
    if create:
        return Found(None, name)
    raise UserError(f"I don't have anyone called {name}.{unknown}")


async def _same_name(
    ctx: Context,
    name: str,
    exact: list[Contact],
    create: bool,
    company: str | None,
    answer: Answer,
) -> Found | Reply:
    """Contacts called exactly ``name``: the one meant, or a question about which."""
    candidates = exact
    if company is not None:
        at_company = [c for c in exact if c.company and name_key(c.company) == name_key(company)]
        candidates = at_company or [c for c in exact if not c.company]
    if len(candidates) == 1:
        return Found(candidates[0], name)
    if candidates:
        count = len(candidates)
        return await _question(
            ctx, f"You have {count} contacts called {name}. Which one?", candidates, None, answer
        )
    # Same name, another company: a namesake, or the same person in a new job?
    offer = exact[: MAX_CHOICES - 1]
    question = f"You have {_listed(offer)}. Is {name} at {company} the same person, or someone new?"
    return await _question(ctx, question, offer, _new(name, company), answer)


def _new(name: str, company: str | None) -> tuple[str, str]:
    shown = f"{name} ({company})" if company else name
    return f"New contact: {shown}", contacts.new_ref(name)


def _listed(found: list[Contact]) -> str:
    return wording.listing([contacts.label(c) for c in found])


async def _question(
    ctx: Context,
    question: str,
    offer: list[Contact],
    new: tuple[str, str] | None,
    answer: Answer,
) -> Reply:
    """Ask with one button per contact (labels told apart) and, maybe, "New contact"."""
    labels = [contacts.label(c) for c in offer]
    answers = [
        (
            f"{label} — added {format_date(c.created_at.astimezone(ctx.tz).date())}"
            if labels.count(label) > 1
            else label,
            answer(contacts.ref(c)),
        )
        for label, c in zip(labels, offer, strict=True)
    ]
    if new is not None:
        answers.append((new[0], answer(new[1])))
    return await ask(ctx, question, answers, title="Which contact?")
