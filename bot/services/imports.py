"""Contacts imported in one go: a LinkedIn connections export or a plain CSV.

LinkedIn's ``Connections.csv`` starts with a few lines of notes before its header (First
Name, Last Name, URL, Email Address, Company, Position, Connected On); a plain CSV has a
header with name, company, role and how-known columns. The file is read whole before
anything is written: a malformed line is named and nothing is imported; rows that cannot
become contacts (no name, a name repeated in the file, a contact already known) are
counted by reason. Imported contacts are contacts only — they feed a target's advocacy,
and count as outreach when the member reaches out, never before. Only the member's own
contacts are read or written.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.companies import company_key
from bot.errors import UserError
from bot.models import Contact, HowKnown, Member, PendingImport
from bot.services.contacts import MAX_NAME, name_key

MAX_ROWS = 30_000
EXAMPLE = "/import file=Connections.csv"
# Header cells (case and spacing ignored) → the contact detail they hold.
COLUMNS = {
    "first name": "first",
    "last name": "last",
    "name": "name",
    "full name": "name",
    "company": "company",
    "employer": "company",
    "organization": "company",
    "position": "role",
    "role": "role",
    "title": "role",
    "job title": "role",
    "how known": "how",
    "how-known": "how",
    "how_known": "how",
    "how": "how",
}
HEADER_SEARCH = 20  # LinkedIn's notes take a few lines; a header further down is not one
NO_NAME = "no name"
REPEATED = "repeated in the file"
TOO_LONG = f"name over {MAX_NAME} characters"
KNOWN = "already your contacts"


@dataclass(frozen=True)
class Row:
    name: str
    company: str | None
    role: str | None
    how: HowKnown


@dataclass
class Reading:
    """What a file holds: rows ready to add, and rows left out with why."""

    new: list[Row] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def known(self) -> int:
        return self.skipped[KNOWN]


def decode(content: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows' Latin encoding."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise UserError("That file is not text (UTF-8 CSV expected).", EXAMPLE) from None


def _header(lines: list[str]) -> tuple[int, dict[str, int]]:
    """The header's line index and its columns, after any notes LinkedIn puts first."""
    for index, line in enumerate(lines[:HEADER_SEARCH]):
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error:
            continue
        columns = {}
        for position, cell in enumerate(cells):
            meaning = COLUMNS.get(" ".join(cell.casefold().split()))
            if meaning and meaning not in columns:
                columns[meaning] = position
        if "name" in columns or ("first" in columns and "last" in columns):
            return index, columns
    raise UserError(
        "I couldn't find a header line with the names of the columns: a LinkedIn "
        "Connections.csv (First Name, Last Name, …, Company, Position) or a CSV with name, "
        "company, role and how-known columns.",
        EXAMPLE,
    )


def parse(text: str) -> list[tuple[int, Row | str]]:
    """Each data row as a :class:`Row` or the reason it cannot be one, with its line
    number; a malformed file is refused naming its first bad line."""
    lines = text.splitlines(keepends=True)
    start, columns = _header(lines)
    width = max(columns.values()) + 1
    reader = csv.reader(io.StringIO("".join(lines[start + 1 :])), strict=True)
    found: list[tuple[int, Row | str]] = []
    while True:
        line = start + 2 + reader.line_num  # where the next row starts (1-based)
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise UserError(
                f"Line {line} can't be read as CSV ({error}; is a quote left open?). "
                "Nothing was imported.",
                EXAMPLE,
            ) from None
        if cells is None:
            break
        if not any(c.strip() for c in cells):
            continue
        if len(found) >= MAX_ROWS:
            raise UserError(
                f"That file has more than {MAX_ROWS:,} rows; split it and import each part.",
                EXAMPLE,
            )
        if len(cells) < width:
            raise UserError(
                f"Line {line} has {len(cells)} columns where the header has at least "
                f"{width}. Nothing was imported.",
                EXAMPLE,
            )
        found.append((line, _row(cells, columns)))
    return found


def _row(cells: list[str], columns: dict[str, int]) -> Row | str:
    def cell(meaning: str) -> str:
        return " ".join(cells[columns[meaning]].split()) if meaning in columns else ""

    name = cell("name") or " ".join(p for p in (cell("first"), cell("last")) if p)
    if not name or name.startswith("#"):
        return NO_NAME
    if len(name) > MAX_NAME:
        return TOO_LONG
    how = cell("how").casefold()
    return Row(
        name=name,
        company=cell("company")[:200] or None,
        role=cell("role")[:200] or None,
        how=HowKnown(how) if how in HowKnown._value2member_map_ else HowKnown.OTHER,
    )


async def read(session: AsyncSession, member: Member, content: bytes) -> Reading:
    """What importing ``content`` would do for ``member``."""
    rows = parse(decode(content))
    known = set(
        await session.scalars(select(Contact.name_key).where(Contact.member_id == member.id))
    )
    result, seen = Reading(), set()
    for _, row in rows:
        if isinstance(row, str):
            result.skipped[row] += 1
            continue
        key = name_key(row.name)
        if key in known:
            result.skipped[KNOWN] += 1
        elif key in seen:
            result.skipped[REPEATED] += 1
        else:
            seen.add(key)
            result.new.append(row)
    return result


async def add(session: AsyncSession, member: Member, rows: list[Row], now: datetime) -> None:
    """The new contacts, in one statement (many rows per round trip) and in the caller's
    transaction: all of them or none."""
    if not rows:
        return
    await session.execute(
        insert(Contact),
        [
            {
                "workspace_id": member.workspace_id,
                "member_id": member.id,
                "name": row.name,
                "name_key": name_key(row.name),
                "company": row.company,
                "company_key": company_key(row.company),
                "role": row.role,
                "how_known": row.how.value,
                "created_at": now,
            }
            for row in rows
        ],
    )


async def keep(
    session: AsyncSession, member: Member, filename: str, text: str, now: datetime
) -> PendingImport:
    """Hold a previewed file for its Import button; an earlier preview is dropped."""
    await session.execute(delete(PendingImport).where(PendingImport.member_id == member.id))
    pending = PendingImport(
        workspace_id=member.workspace_id,
        member_id=member.id,
        filename=filename[:200],
        content=text,
        created_at=now,
    )
    session.add(pending)
    await session.flush()
    return pending
