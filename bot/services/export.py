"""A member's own data as CSV: everything they logged, notes included, nobody else's."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Contact, Interview, Member, Outreach, Plan, Target

COLUMNS = (
    "record",
    "date",
    "contact",
    "company",
    "role",
    "how_known",
    "referred_by",
    "via",
    "status",
    "scheduled_for",
    "thank_you_due",
    "thanked_at",
    "referrals",
    "notes",
)


async def member_csv(session: AsyncSession, member: Member) -> tuple[str, int]:
    """The CSV text and the number of records in it."""
    people = {
        c.id: c
        for c in await session.scalars(
            select(Contact).where(Contact.member_id == member.id).order_by(Contact.id)
        )
    }
    requests = await session.scalars(
        select(Outreach).where(Outreach.member_id == member.id).order_by(Outreach.sent_at)
    )
    held = await session.scalars(
        select(Interview).where(Interview.member_id == member.id).order_by(Interview.held_at)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0

    def person(contact_id: int) -> list[str]:
        c = people[contact_id]
        referrer = people.get(c.referred_by_id) if c.referred_by_id else None
        return [
            c.name,
            c.company or "",
            c.role or "",
            c.how_known,
            referrer.name if referrer else "",
        ]

    for c in people.values():
        writer.writerow(["contact", c.created_at.date().isoformat(), *person(c.id)] + [""] * 7)
        count += 1
    for o in requests:
        writer.writerow(
            [
                "outreach",
                o.sent_on.isoformat(),
                *person(o.contact_id),
                o.via,
                o.status,
                o.scheduled_for.isoformat() if o.scheduled_for else "",
                "",
                "",
                "",
                o.notes or "",
            ]
        )
        count += 1
    for i in held:
        writer.writerow(
            [
                "interview",
                i.held_on.isoformat(),
                *person(i.contact_id),
                i.via or "",
                "",
                "",
                i.thank_you_due_on.isoformat(),
                i.thanked_at.isoformat() if i.thanked_at else "",
                str(i.referral_count),
                i.notes or "",
            ]
        )
        count += 1
    listed = await session.scalars(
        select(Target).where(Target.member_id == member.id).order_by(Target.id)
    )
    for t in listed:  # the employer, with its motivation and posting as the "status"
        status = f"motivation {t.motivation}, posting {t.posting}"
        day = t.created_at.date().isoformat()
        writer.writerow(["target", day, "", t.company, "", "", "", "", status] + [""] * 5)
        count += 1
    plans = await session.scalars(
        select(Plan).where(Plan.member_id == member.id).order_by(Plan.week)
    )
    for p in plans:  # the week's plan in the member's words, whether it was kept as "status"
        writer.writerow(["plan", p.week.isoformat(), *[""] * 6, p.kept or "", *[""] * 4, p.text])
        count += 1
    return _defuse(out.getvalue()), count


def _defuse(text: str) -> str:
    """Keep spreadsheet apps from running cells that start like formulas (=, +, -, @)."""
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()
