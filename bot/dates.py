"""Reading the dates people type, in the member's own time zone.

ISO dates first (fast and unambiguous), then a few phrases we handle exactly
("today", "yesterday", "3 days ago", "last tuesday"), then dateparser for the
rest (English only). Business days and week starts live here too, because the
3B7 follow-up rule and weekly goals both count days on the member's calendar.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError

MAX_DATE_INPUT = 60
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^(\d{1,3}|a|an|one|two|three)\s+(day|week)s?\s+ago$")
_IN_RELATIVE = re.compile(r"^in\s+(\d{1,3}|a|an|one|two|three)\s+(day|week)s?$")
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
DATE_EXAMPLES = "2026-03-14, today, yesterday, 3 days ago, last tuesday"


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def parse_date(text: str, now: datetime, tz: ZoneInfo, prefer_future: bool = False) -> date:
    """Read ``text`` as a calendar date on the member's clock, or explain what works.

    Logs look back, plans look ahead: ``prefer_future`` makes a bare "friday" the
    coming one (for scheduling) instead of the last one (for logging).
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise UserError("The date is empty.", f"date=yesterday  (accepted: {DATE_EXAMPLES})")
    if len(cleaned) > MAX_DATE_INPUT:
        raise UserError(
            f"That date is too long to read (at most {MAX_DATE_INPUT} characters).",
            f"date=yesterday  (accepted: {DATE_EXAMPLES})",
        )
    today = local_today(now, tz)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    simple = _simple_phrase(cleaned, today, prefer_future)
    if simple is not None:
        return simple
    parsed = _dateparser(cleaned, now, tz, prefer_future)
    if parsed is None:
        raise UserError(
            f"I couldn't read `{text.strip()[:MAX_DATE_INPUT]}` as a date.",
            f"date=yesterday  (accepted: {DATE_EXAMPLES})",
        )
    return parsed


def _simple_phrase(text: str, today: date, prefer_future: bool) -> date | None:
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "tomorrow":
        return today + timedelta(days=1)
    for pattern, sign in ((_RELATIVE, -1), (_IN_RELATIVE, 1)):
        m = pattern.match(text)
        if m:
            count = _WORD_NUMBERS.get(m.group(1)) or int(m.group(1))
            days = count * (7 if m.group(2) == "week" else 1)
            return today + sign * timedelta(days=days)
    words = text.split()
    if len(words) in (1, 2) and words[-1] in WEEKDAYS:
        target = WEEKDAYS.index(words[-1])
        qualifier = words[0] if len(words) == 2 else ("this" if prefer_future else "")
        if qualifier in ("", "last", "past"):
            back = (today.weekday() - target) % 7 or (7 if qualifier else 0)
            return today - timedelta(days=back)
        if qualifier in ("next", "this", "on", "coming"):
            ahead = (target - today.weekday()) % 7 or (7 if qualifier == "next" else 0)
            return today + timedelta(days=ahead)
    return None


def _dateparser(text: str, now: datetime, tz: ZoneInfo, prefer_future: bool) -> date | None:
    import dateparser  # imported lazily: it is slow to load and rarely needed

    try:
        result = dateparser.parse(
            text,
            languages=["en"],
            settings={
                "TIMEZONE": tz.key,
                "RETURN_AS_TIMEZONE_AWARE": True,
                "RELATIVE_BASE": now.astimezone(tz).replace(tzinfo=None),
                "PREFER_DAY_OF_MONTH": "first",
                "PREFER_DATES_FROM": "future" if prefer_future else "past",
                "DATE_ORDER": "YMD" if re.match(r"^\d{4}", text) else "MDY",
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input; treat as unreadable
        return None
    if result is None:
        return None
    return result.astimezone(tz).date()


def local_noon_utc(day: date, tz: ZoneInfo) -> datetime:
    """A representative moment for a date given without a time (noon avoids DST gaps)."""
    return datetime.combine(day, time(12), tzinfo=tz).astimezone(UTC)


def add_business_days(day: date, count: int) -> date:
    """The date ``count`` working days (Mon-Fri) after ``day``."""
    current = day
    added = 0
    while added < count:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def week_start(day: date) -> date:
    """Monday of the ISO week containing ``day``."""
    return day - timedelta(days=day.weekday())


def format_date(day: date) -> str:
    """How dates read in replies: ``Tue 24 Nov``."""
    return day.strftime("%a %d %b").replace(" 0", " ")
