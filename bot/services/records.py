"""A member's logs as records they can look back on and mend: listed, found, re-dated.

A record is one outreach or one interview — the rows every count is made from. Each has
a short reference that survives new logs (``o12``, ``i7``); lists also number them, 1 the
newest. Re-dating a record moves it to the week of its new day (the cached streak of
both weeks is dropped, so every count is recounted) and plans its reminders again.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, literal, null, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines
from bot.dates import local_noon_utc
from bot.models import Contact, Interview, LogEntry, Member, Outreach, OutreachStatus
from bot.nudges import plan
from bot.nudges.kinds import in_family
from bot.services import stale_streaks
from bot.services.reads import read

SHOWN = 15
_REF = re.compile(r"^([oi])([0-9]{1,18})$")
THANKS = in_family("thanks")
FOLLOW_UPS = in_family("follow")


class Record(NamedTuple):
    """A log to change: its row and its contact, as mapped objects."""

    row: Outreach | Interview
    contact: Contact

    @property
    def ref(self) -> str:
        return f"{'o' if isinstance(self.row, Outreach) else 'i'}{self.row.id}"

    @property
    def day(self) -> date:
        row = self.row
        return row.sent_on if isinstance(row, Outreach) else row.held_on


class Listed(NamedTuple):
    """A log as lists show it: plain columns (a list of fifteen is read without the ORM)."""

    kind: str  # "o" outreach, "i" interview
    id: int
    created_at: datetime
    day: date
    via: str | None
    status: str | None  # outreach only
    scheduled_for: date | None
    thanked_on: date | None  # interviews only
    due_on: date | None
    referral_count: int
    name: str
    company: str | None

    @property
    def ref(self) -> str:
        return f"{self.kind}{self.id}"


def listed(record: Record) -> Listed:
    row, contact = record
    if isinstance(row, Outreach):
        return Listed(
            "o", row.id, row.created_at, row.sent_on, row.via, row.status, row.scheduled_for,
            None, None, 0, contact.name, contact.company,
        )  # fmt: skip
    return Listed(
        "i", row.id, row.created_at, row.held_on, row.via, None, None, row.thanked_on,
        row.thank_you_due_on, row.referral_count, contact.name, contact.company,
    )  # fmt: skip


def parse_ref(text: str) -> tuple[type[Outreach] | type[Interview], int] | None:
    found = _REF.match(text.strip().lower())
    if found is None:
        return None
    return (Outreach if found.group(1) == "o" else Interview), int(found.group(2))


def _newest(model: type[Outreach] | type[Interview], *columns: Any) -> Select:
    """A member's newest logs of one kind as :class:`Listed` columns, built once.

    Rows are numbered as they are logged, so the highest numbers are the newest: they are
    picked from an index alone, and only those rows (and their contacts) are read — not
    every log of the member's, sorted."""
    kind = "o" if model is Outreach else "i"
    newest = (
        select(model.id)
        .where(model.member_id == bindparam("member_id"))
        .order_by(model.id.desc())
        .limit(SHOWN)
    )
    return (
        select(literal(kind), model.id, model.created_at, *columns, Contact.name, Contact.company)
        .join(Contact, Contact.id == model.contact_id)
        .where(model.id.in_(newest.scalar_subquery()))
    )


_RECENT = (
    _newest(
        Outreach, Outreach.sent_on, Outreach.via, Outreach.status, Outreach.scheduled_for,
        null(), null(), literal(0),
    ),
    _newest(
        Interview, Interview.held_on, Interview.via, null(), null(), Interview.thanked_on,
        Interview.thank_you_due_on, Interview.referral_count,
    ),
)  # fmt: skip


async def recent(session: AsyncSession, member: Member) -> list[Listed]:
    """The member's last :data:`SHOWN` logs, the most recently logged first."""
    found = [
        Listed(*row)
        for statement in _RECENT
        for row in await read(session, statement, {"member_id": member.id})
    ]
    found.sort(key=lambda r: r.created_at, reverse=True)  # across kinds
    if len({r.created_at for r in found}) < len(found):
        # Logged in the same instant (the console's clock stands still between commands):
        # the journal's numbering knows which came last.
        order = await _logged_order(session, member, found)
        found.sort(key=lambda r: (r.created_at, order.get((r.kind, r.id), 0)), reverse=True)
    return found[:SHOWN]


async def _logged_order(
    session: AsyncSession, member: Member, found: list[Listed]
) -> dict[tuple[str, int], int]:
    """Each log's first journal entry number: the order in which they were logged."""
    outreach = [r.id for r in found if r.kind == "o"]
    interviews = [r.id for r in found if r.kind == "i"]
    rows = await session.execute(
        select(LogEntry.outreach_id, LogEntry.interview_id, func.min(LogEntry.id))
        .where(
            LogEntry.member_id == member.id,
            or_(LogEntry.outreach_id.in_(outreach), LogEntry.interview_id.in_(interviews)),
        )
        .group_by(LogEntry.outreach_id, LogEntry.interview_id)
    )
    order: dict[tuple[str, int], int] = {}
    for outreach_id, interview_id, first in rows:
        key = ("i", interview_id) if interview_id is not None else ("o", outreach_id)
        order[key] = min(first, order.get(key, first))
    return order


async def get(
    session: AsyncSession, workspace_id: int, model: type[Outreach] | type[Interview], row_id: int
) -> Record | None:
    """The record, whoever's it is in the workspace (callers check it is the member's)."""
    found = (
        await session.execute(
            select(model, Contact)
            .join(Contact, Contact.id == model.contact_id)
            .where(model.id == row_id, model.workspace_id == workspace_id)
        )
    ).first()
    return Record(*found) if found is not None else None


def _moment(day: date, tz: ZoneInfo, now: datetime) -> datetime:
    """When a log dated ``day`` happened, as the commands record it."""
    return now if day == now.astimezone(tz).date() else local_noon_utc(day, tz)


async def redate(
    session: AsyncSession, member: Member, record: Record, day: date, tz: ZoneInfo, now: datetime
) -> None:
    """Move ``record`` to ``day``: its week is recounted and its reminders planned again."""
    row = record.row
    await stale_streaks.logged_on(session, member.id, record.day)
    await stale_streaks.logged_on(session, member.id, day)
    if isinstance(row, Outreach):
        row.sent_on, row.sent_at = day, _moment(day, tz, now)
        await plan.unplan(session, member, FOLLOW_UPS, row.id)
        if row.status == OutreachStatus.SENT.value:
            await plan.plan_follow_ups(session, member, row, tz, now)
        return
    row.held_on, row.held_at = day, _moment(day, tz, now)
    row.thank_you_due_on = deadlines.thank_you_due(day)
    await plan.unplan(session, member, THANKS, row.id)
    if row.thanked_at is None:
        await plan.plan_thanks(session, member, row, tz, now)
