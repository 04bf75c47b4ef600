"""A member's own numbers for /mystats: totals and the rates that matter for the method."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Interview, Member, Outreach, OutreachStatus


@dataclass(frozen=True)
class Totals:
    outreach: int
    led_to_interview: int
    interviews: int
    referrals: int
    thanked_on_time: int
    thanks_owed: int  # thanked, or past due: the notes whose timing is settled

    @property
    def interview_rate(self) -> float | None:
        return self.led_to_interview / self.outreach if self.outreach else None

    @property
    def on_time_rate(self) -> float | None:
        return self.thanked_on_time / self.thanks_owed if self.thanks_owed else None


async def totals(session: AsyncSession, member: Member, now: datetime) -> Totals:
    outreach, led = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Outreach.status == OutreachStatus.INTERVIEWED.value),
            ).where(Outreach.member_id == member.id)
        )
    ).one()
    interviews, referrals, on_time, owed = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(Interview.referral_count), 0),
                func.count().filter(Interview.thanked_at <= Interview.thank_you_due),
                func.count().filter(
                    or_(
                        Interview.thanked_at.is_not(None),
                        and_(Interview.thanked_at.is_(None), Interview.thank_you_due < now),
                    )
                ),
            ).where(Interview.member_id == member.id)
        )
    ).one()
    return Totals(outreach, led, interviews, int(referrals), on_time, owed)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"
