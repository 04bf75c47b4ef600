"""A member's contacts: found by name without guessing, created when new.

Contacts are private: every query here is scoped to one member (and so to one
workspace). A name that matches nobody exactly is never silently taken to be
someone else; callers get the near matches to offer as choices instead.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Contact, HowKnown, Member


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


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


async def similar(
    session: AsyncSession, member: Member, name: str, limit: int = 5
) -> list[Contact]:
    """Near matches for a name that matched nobody exactly: substrings first, then look-alikes."""
    key = name_key(name)
    everyone = list(await session.scalars(select(Contact).where(Contact.member_id == member.id)))
    contains = [c for c in everyone if key and (key in c.name_key or c.name_key in key)]
    close_keys = difflib.get_close_matches(key, [c.name_key for c in everyone], n=limit, cutoff=0.6)
    alike = [c for k in close_keys for c in everyone if c.name_key == k and c not in contains]
    return (contains + alike)[:limit]


async def find_or_create(
    session: AsyncSession,
    member: Member,
    name: str,
    now: datetime,
    company: str | None = None,
    role: str | None = None,
    how_known: HowKnown = HowKnown.OTHER,
    referred_by: Contact | None = None,
) -> tuple[Contact, bool]:
    """The member's contact called ``name`` at ``company``, and whether it is new (then it
    has no logs yet: callers skip looking for them). New details fill blanks, never erase."""
    for contact in await exact(session, member, name):
        same_company = (
            company is None
            or contact.company is None
            or name_key(contact.company) == name_key(company)
        )
        if same_company:
            contact.company = contact.company or company
            contact.role = role or contact.role
            return contact, False
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
    return contact, True


async def get(session: AsyncSession, member: Member, contact_id: int) -> Contact | None:
    return await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.member_id == member.id)
    )


async def names_matching(
    session: AsyncSession, member: Member, prefix: str, limit: int
) -> list[str]:
    """Distinct contact names starting with (or containing) ``prefix``, for autocomplete."""
    key = name_key(prefix)
    rows = await session.scalars(
        select(Contact.name).where(Contact.member_id == member.id).order_by(Contact.name)
    )
    names = list(dict.fromkeys(rows))
    starts = [n for n in names if name_key(n).startswith(key)]
    inside = [n for n in names if key in name_key(n) and n not in starts]
    return (starts + inside)[:limit]


class Named(Protocol):
    """Anything with a contact's name and company: a mapped ``Contact`` or a row."""

    @property
    def name(self) -> str: ...

    @property
    def company(self) -> str | None: ...


def label(contact: Named) -> str:
    """``Jane Doe (Acme)``: how a contact is named in the member's own replies."""
    return f"{contact.name} ({contact.company})" if contact.company else contact.name
