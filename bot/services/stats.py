"""A member's own numbers for /mystats: totals and the rates that matter for the method."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, Select, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot import deadlines
from bot.models import Interview, Member, Outreach, OutreachStatus
from bot.services.reads import read


@dataclass(frozen=True)
class Totals:
    outreach: int
    led_to_interview: int
    interviews: int
    referrals: int
    thanked_on_time: int
    thanks_owed: int  # marked, or past their day unmarked: the notes whose timing is settled

    @property
    def interview_rate(self) -> float | None:
        return self.led_to_interview / self.outreach if self.outreach else None

    @property
    def on_time_rate(self) -> float | None:
        return self.thanked_on_time / self.thanks_owed if self.thanks_owed else None


def _totals_statement() -> Select:
    """Both tables' totals for one member in one statement, built once: the two
    single-row aggregates side by side."""
    member_id, today = bindparam("member_id"), bindparam("today", type_=Date)
    sent = select(
        func.count().label("outreach"),
        func.count().filter(Outreach.status == OutreachStatus.INTERVIEWED.value).label("led"),
    ).where(Outreach.member_id == member_id)
    held = select(
        func.count().label("interviews"),
        func.coalesce(func.sum(Interview.referral_count), 0).label("referrals"),
        func.count().filter(deadlines.on_time_sql()).label("on_time"),
        func.count().filter(deadlines.settled_sql(today)).label("owed"),
    ).where(Interview.member_id == member_id)
    sent, held = sent.subquery(), held.subquery()
    return select(sent, held).select_from(sent.join(held, true()))


_TOTALS = _totals_statement()


async def totals(session: AsyncSession, member: Member, today: date) -> Totals:
    """``today`` is the member's: a note due today is not yet late."""
    (row,) = await read(session, _TOTALS, {"member_id": member.id, "today": today})
    outreach, led, interviews, referrals, on_time, owed = row
    return Totals(outreach, led, interviews, int(referrals), on_time, owed)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"
