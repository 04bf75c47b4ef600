"""When nudges fall due: every timing in one place, on the member's own clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import Member


@dataclass(frozen=True)
class Timings:
    """Every timing as the product promises it; change them here and nowhere else (the
    reminder texts and replies take their numbers from here too)."""

    thank_you_within: timedelta = timedelta(days=7)  # the deadline: a week after the talk
    thanks_best_hours: tuple[int, int] = (24, 48)  # etiquette: best within 24-48 hours
    thanks_first: timedelta = timedelta(hours=24)  # "best sent within 48 h"
    thanks_due_soon: timedelta = timedelta(days=1)  # before the deadline: "due tomorrow"
    # 3B7 (Dalton): no reply after 3 business days → a second person at the employer;
    # after 7 → one polite follow-up to the first; then the request rests.
    second_person_after: int = 3  # business days
    follow_up_after: int = 7  # business days
    midweek: int = 2  # Wednesday: a goal check-in if behind pace
    last_call: int = 4  # Friday: a last call if a goal is still short
    top_target: int = 0  # Monday: the week's top target without open outreach
    digest_stale: timedelta = timedelta(days=6)  # a digest this late would describe the wrong week
    snooze: timedelta = timedelta(days=1)
    quiet_after: timedelta = timedelta(days=14)  # no log this long: one friendly word
    retry_base: timedelta = timedelta(seconds=30)  # transient delivery failures back off
    retry_max: timedelta = timedelta(hours=1)
    max_attempts: int = 8


TIMINGS = Timings()


def at_reminder_hour(day: date, member: Member, tz: ZoneInfo) -> datetime:
    """The member's reminder hour on ``day``, in UTC (DST-safe via zoneinfo)."""
    return datetime.combine(day, time(member.reminder_hour), tzinfo=tz).astimezone(UTC)


def in_quiet_hours(moment: datetime, member: Member, tz: ZoneInfo) -> bool:
    start, end = member.quiet_start, member.quiet_end
    if start == end:
        return False
    hour = moment.astimezone(tz).hour
    return start <= hour < end if start < end else hour >= start or hour < end


def next_allowed(moment: datetime, member: Member, tz: ZoneInfo) -> datetime:
    """``moment`` itself, or the end of the member's quiet hours if it falls inside them."""
    if not in_quiet_hours(moment, member, tz):
        return moment
    local = moment.astimezone(tz)
    end_today = datetime.combine(local.date(), time(member.quiet_end), tzinfo=tz)
    end = end_today if end_today > local else end_today + timedelta(days=1)
    return datetime.combine(end.date(), time(member.quiet_end), tzinfo=tz).astimezone(UTC)


def backoff(attempts: int) -> timedelta:
    """Exponential back-off for transient failures, capped."""
    return min(TIMINGS.retry_base * (2 ** max(attempts - 1, 0)), TIMINGS.retry_max)
