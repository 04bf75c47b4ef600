"""A member's contacts: found by name without guessing, created when new.

Contacts are private: every query here is scoped to one member (and so to one
workspace). A name that matches nobody exactly is never silently taken to be
someone else; callers get the near matches to offer as choices instead
(``bot/commands/resolve.py`` asks the question).
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import companies
from bot.errors import UserError
from bot.models import Contact, HowKnown, Interview, Member, Outreach

MAX_NAME = 100  # a person's name; it also has to fit a Discord autocomplete choice
# How an option value names a contact without spelling the name: ``#12`` is the member's
# contact 12 (autocomplete choices, answers to "which one?"), ``#new:Bob Lee`` a new
# contact called Bob Lee although someone with a similar name exists (an answer, too).
REF = "#"
NEW = "#new:"
_REF = re.compile(r"^#([0-9]{1,18})$")
NAME_EXAMPLE = '/outreach "Jane Doe" company=Acme'


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


company_key = companies.company_key  # one employer however typed (``bot/companies.py``)


def ref(contact: Contact) -> str:
    return f"{REF}{contact.id}"


def new_ref(name: str) -> str:
    return f"{NEW}{name}"


def ref_id(text: str) -> int | None:
    """The contact number in ``#12``, or None when ``text`` is a name."""
    found = _REF.match(text.strip())
    return int(found.group(1)) if found else None


def new_name(text: str) -> str | None:
    """The name in ``#new:Bob Lee``, or None."""
    return text[len(NEW) :].strip() if text.startswith(NEW) else None


def check_name(name: str, what: str = "A contact's name") -> str:
    """``name`` tidied, or a refusal saying what a name may be: at most ``MAX_NAME``
    characters, and not starting with # (that is how peerpath refers to a contact)."""
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise UserError(
            f"{what} can be at most {MAX_NAME} characters; “{name[:40]}…” has {len(name)}. "
            "Nothing was saved.",
            NAME_EXAMPLE,
        )
    if not name or name.startswith(REF):
        raise UserError(f"{what} can't be empty or start with #.", NAME_EXAMPLE)
    return name


# Every log looks its contact up: the statement is built once (see ``reads.ForMembers``).
_EXACT = (
    select(Contact)
    .where(Contact.member_id == bindparam("member_id"), Contact.name_key == bindparam("key"))
    .order_by(Contact.id)
)


async def exact(session: AsyncSession, member: Member, name: str) -> list[Contact]:
    """Contacts of ``member`` whose name is ``name`` (case and spacing ignored)."""
    rows = await session.scalars(_EXACT, {"member_id": member.id, "key": name_key(name)})
    return list(rows)


CLOSE = 0.75  # difflib's ratio from which two spellings are "close" (Jon/John: 0.86)
_DIGITS = re.compile(r"[0-9]+")


def close(typed: str, name: str) -> bool:
    """Whether ``typed`` could mean ``name`` (both keys): the words of one are among the
    other's (Bob → Bob O'Brien), or it is spelled close to the whole name or one of its
    words (Jon → John). Numbers in a name are labels, not spellings: Contact 1 is not
    Contact 10."""
    typed_words, words = set(typed.split()), set(name.split())
    if typed_words <= words or words <= typed_words:
        return True
    if _DIGITS.findall(typed) != _DIGITS.findall(name):
        return False
    return any(
        difflib.SequenceMatcher(None, typed, candidate).ratio() >= CLOSE
        for candidate in (name, *words)
    )


async def similar(
    session: AsyncSession, member: Member, name: str, limit: int = 5
) -> list[Contact]:
    """Contacts ``name`` could mean though it matches none exactly, closest first."""
    key = name_key(name)
    if not key:
        return []
    everyone = await session.scalars(select(Contact).where(Contact.member_id == member.id))
    scored = [
        (difflib.SequenceMatcher(None, key, c.name_key).ratio(), c.id, c)
        for c in everyone
        if close(key, c.name_key)
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [c for _, _, c in scored[:limit]]


async def create(
    session: AsyncSession,
    member: Member,
    name: str,
    now: datetime,
    company: str | None = None,
    role: str | None = None,
    how_known: HowKnown = HowKnown.OTHER,
    referred_by: Contact | None = None,
) -> Contact:
    """A new contact of ``member``'s (the name already checked with :func:`check_name`)."""
    contact = Contact(
        workspace_id=member.workspace_id,
        member_id=member.id,
        name=name,
        name_key=name_key(name),
        company=company,
        role=role,
        how_known=how_known.value,
        referred_by_id=referred_by.id if referred_by else None,
        created_at=now,
    )
    session.add(contact)
    await session.flush()
    return contact


DETAILS = ("company", "role", "how_known")


def fill(
    contact: Contact, company: str | None, role: str | None, how: HowKnown | None
) -> dict[str, Any]:
    """Add what a log says about a known contact — new details fill blanks, a new role or
    how-known replaces the old — and return the details as they were, for /undo."""
    before = {name: getattr(contact, name) for name in DETAILS}
    contact.company = contact.company or company
    contact.role = role or contact.role
    if how is not None:
        contact.how_known = how.value
    return before


def restore(contact: Contact, before: dict[str, Any]) -> None:
    for name in DETAILS:
        if name in before:
            setattr(contact, name, before[name])


async def in_use(session: AsyncSession, contact: Contact) -> bool:
    """Whether any outreach or interview is with ``contact`` (else /undo may remove it)."""
    return bool(
        await session.scalar(_IN_USE, {"contact_id": contact.id, "member_id": contact.member_id})
    )


# Built once: one read answers for both tables.
_IN_USE = select(
    or_(
        *(
            exists().where(
                model.contact_id == bindparam("contact_id"),
                model.member_id == bindparam("member_id"),
            )
            for model in (Outreach, Interview)
        )
    )
)


async def get(session: AsyncSession, member: Member, contact_id: int) -> Contact | None:
    return await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.member_id == member.id)
    )


async def suggestions(
    session: AsyncSession, member: Member, prefix: str, limit: int
) -> list[tuple[str, str]]:
    """Autocomplete: ``(label, reference)`` for contacts whose name starts with (or
    contains) ``prefix``. The reference (``#12``) names one contact exactly and is short,
    whatever the name's length; a submitted reference is resolved back to the member's
    own contact (another member's number names nobody of theirs)."""
    key = name_key(prefix)
    rows = await session.execute(
        select(Contact.id, Contact.name, Contact.name_key, Contact.company)
        .where(Contact.member_id == member.id)
        .order_by(Contact.name_key, Contact.id)
    )
    found = list(rows)
    starts = [r for r in found if r.name_key.startswith(key)]
    inside = [r for r in found if key in r.name_key and not r.name_key.startswith(key)]
    return [(label(r), f"{REF}{r.id}") for r in (starts + inside)[:limit]]


class Named(Protocol):
    """Anything with a contact's name and company: a mapped ``Contact`` or a row."""

    @property
    def name(self) -> str: ...

    @property
    def company(self) -> str | None: ...


def label(contact: Named) -> str:
    """``Jane Doe (Acme)``: how a contact is named in the member's own replies."""
    return f"{contact.name} ({contact.company})" if contact.company else contact.name
