"""Reading the dates people type, on the member's own calendar, and saying them back.

A date means what the member meant:

- ISO dates (``2026-03-14``) first: fast and unambiguous.
- A few phrases read exactly, without loading dateparser: ``today``, ``yesterday``,
  ``tomorrow`` (and ``tmrw``), ``3 days ago``, ``in 3 days``, weekdays (``last tuesday``;
  a bare ``friday`` looks back for a log and ahead for a plan).
- Numeric dates: dotted ones are day-first (``3.12.2026``, ``3.12.``), as wherever people
  write dots; slashed ones follow the member's locale when the platform says it (Discord
  does); when it is unknown and both readings are real days, :class:`AmbiguousDate`
  carries both so the member can be asked rather than guessed for.
- Everything else goes to dateparser (English). Its settings do the checking: an explicit
  ``DATE_ORDER`` with ``STRICT_DATE_ORDER="all"`` reads numbers only in that order,
  ``PREFER_DATES_FROM`` fills a missing year towards the past or future, and the parts it
  reports tell a day from a time of day (``9:30``, ``3pm``) or a whole month, which are
  refused. A day no calendar has (``31 Feb``, ``2026-02-30``) is refused, never rolled over.
- Every date lies between :data:`EARLIEST` and ten years ahead, so nothing downstream
  walks weeks from year 1 or towards 9999.

Business days and week starts live here too, because the 3B7 follow-up rule and weekly
goals both count days on the member's calendar.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.errors import UserError

MAX_DATE_INPUT = 60
EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DATE_EXAMPLES = "2026-03-14, today, yesterday, 3 days ago, last tuesday, 3.12.2026"
FUTURE_EXAMPLES = "2026-03-20, tomorrow, friday, next week, in 3 days, 3.12."
_RELATIVE = re.compile(r"^(\d{1,3}|a|an|one|two|three)\s+(day|week)s?\s+ago$")
_IN_RELATIVE = re.compile(r"^in\s+(\d{1,3}|a|an|one|two|three)\s+(day|week)s?$")
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
_ALIASES = {"tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "tomorow": "tomorrow"}
# Day, month and maybe a year in numbers: dots are day-first, other separators are read in
# the locale's order (or asked about); a four-digit first number is the year.
_NUMERIC = re.compile(r"^(\d{1,4})([./\- ])(\d{1,2})(?:\2(\d{2}|\d{4}))?(\.?)$")
_MONTHS = frozenset(name.lower() for name in (*calendar.month_name[1:], *calendar.month_abbr[1:]))


class AmbiguousDate(UserError):
    """A date that reads as two real days (``3/4``) where the member's locale is unknown;
    ``readings`` holds both, in day-first order, for the member to choose between."""

    def __init__(self, text: str, readings: tuple[date, date], today: date) -> None:
        first, second = (format_date(day, today) for day in readings)
        super().__init__(
            f"`{text}` could be {first} or {second}.",
            f"date={readings[0].isoformat()}",
        )
        self.readings = readings


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def latest(today: date) -> date:
    """The last date accepted: ten years ahead of the member's today."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February, ten years on, is usually not a day
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def parse_date(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    prefer_future: bool = False,
    locale: str | None = None,
) -> date:
    """Read ``text`` as a calendar date on the member's clock, or explain what works.

    Logs look back, plans look ahead: ``prefer_future`` makes a bare "friday" the
    coming one (for scheduling) instead of the last one (for logging). ``locale`` (a
    platform's code, ``en-US``, ``de``) orders slashed dates; without it an ambiguous one
    raises :class:`AmbiguousDate`.
    """
    example = f"date={'tomorrow' if prefer_future else 'yesterday'}  (accepted: " + (
        f"{FUTURE_EXAMPLES})" if prefer_future else f"{DATE_EXAMPLES})"
    )
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise UserError("The date is empty.", example)
    if len(cleaned) > MAX_DATE_INPUT:
        raise UserError(
            f"That date is too long to read (at most {MAX_DATE_INPUT} characters).", example
        )
    cleaned = _ALIASES.get(cleaned, cleaned)
    shown = text.strip()[:MAX_DATE_INPUT]
    today = local_today(now, tz)
    found = _read(cleaned, shown, now, tz, today, prefer_future, locale, example)
    if not EARLIEST <= found <= latest(today):
        raise UserError(
            f"{format_date(found, today)} is outside the dates peerpath keeps: from "
            f"{format_date(EARLIEST, today)} to {format_date(latest(today), today)}.",
            example,
        )
    return found


def _read(
    cleaned: str,
    shown: str,
    now: datetime,
    tz: ZoneInfo,
    today: date,
    prefer_future: bool,
    locale: str | None,
    example: str,
) -> date:
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    simple = _simple_phrase(cleaned, today, prefer_future)
    if simple is not None:
        return simple
    base = now.astimezone(tz).replace(tzinfo=None)
    numeric = _NUMERIC.match(cleaned)
    if numeric:
        return _numeric(numeric, shown, base, today, prefer_future, locale, example)
    found, parts = _dateparser(cleaned, base, prefer_future)
    if found is None:
        known = any(word.strip(",.") in _MONTHS for word in cleaned.split())
        if known and re.search(r"\d", cleaned):
            raise UserError(f"There is no such day as `{shown}`.", example)
        raise UserError(f"I couldn't read `{shown}` as a date.", example)
    if "time" in parts:
        raise UserError(f"`{shown}` reads as a time of day; give the day instead.", example)
    if "day" not in parts:
        raise UserError(f"`{shown}` is not a single day; say which day.", example)
    return found


def _numeric(
    match: re.Match[str],
    shown: str,
    base: datetime,
    today: date,
    prefer_future: bool,
    locale: str | None,
    example: str,
) -> date:
    """A numeric date: year-first, dotted (day-first) or in the locale's order — or asked."""
    first, separator, second, last, _ = match.groups()
    if len(first) == 4:
        if last is None:
            raise UserError(f"`{shown}` is not a single day; say which day.", example)
        orders = ["YMD"]
    elif separator == ".":
        orders = ["DMY"]
    else:
        own = slash_order(locale)
        orders = [own, _swapped(own)] if own else ["DMY", "MDY"]
    if last is not None and len(last) == 2:
        last = f"20{last}"  # the years peerpath keeps (2000 on) make ``26`` mean 2026
    numbers = "/".join(part for part in (first, second, last) if part)
    readings: list[date] = []
    for order in orders:
        found = _dateparser(numbers, base, prefer_future, order)[0]
        if found is not None and found not in readings:
            readings.append(found)
    if not readings:
        if separator == "." and last is None and int(first) < 24 and int(second) < 60:
            raise UserError(f"`{shown}` reads as a time of day; give the day instead.", example)
        raise UserError(f"There is no such day as `{shown}`.", example)
    if len(readings) == 2 and slash_order(locale) is None:
        kept = [day for day in readings if EARLIEST <= day <= latest(today)]
        if len(kept) == 2:
            raise AmbiguousDate(shown, (readings[0], readings[1]), today)
        return (kept or readings)[0]  # a reading peerpath could not keep was not meant
    return readings[0]


def _swapped(order: str) -> str:
    return order.translate(str.maketrans("DM", "MD"))


@lru_cache(maxsize=64)
def slash_order(locale: str | None) -> str | None:
    """``DMY`` or ``MDY`` for a platform locale code (``en-US`` → ``MDY``, ``de`` →
    ``DMY``), from dateparser's locale data; ``None`` when unknown. A year-first locale
    (``ja``) still puts the month before the day."""
    if not locale:
        return None
    from dateparser.languages.loader import default_loader  # slow to load; rarely needed

    for code in dict.fromkeys((locale, locale.split("-")[0])):
        try:
            order = default_loader.get_locale_map(locales=[code])[code].info.get("date_order")
        except (ValueError, KeyError, TypeError):
            continue
        if order:
            return "DMY" if order.index("D") < order.index("M") else "MDY"
    return None


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


def _dateparser(
    text: str, base: datetime, prefer_future: bool, order: str | None = None
) -> tuple[date | None, tuple[str, ...]]:
    """dateparser's reading of ``text`` relative to the member's local ``base``, and the
    parts the text named (``day``, ``time``…); with ``order``, numbers only in that order
    and only as a day and a month (never ``4/13`` as the 4th of some month in 2013)."""
    from dateparser.date import DateDataParser  # imported lazily: slow to load, rarely needed

    settings: dict[str, object] = {
        "RELATIVE_BASE": base,
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "future" if prefer_future else "past",
    }
    if order:
        settings.update(
            DATE_ORDER=order,
            STRICT_DATE_ORDER="all",
            PARSERS=["absolute-time"],
            REQUIRE_PARTS=["day", "month"],
        )
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; treat as unreadable
        return None, ()
    if data.date_obj is None:
        return None, ()
    return data.date_obj.date(), tuple(data.parts or ())


def skipped(day: date, at: time, tz: ZoneInfo) -> bool:
    """Whether ``at`` on ``day`` never happens in ``tz``: the hour the clocks jump over
    when they go forward (02:30 on a spring night in New York)."""
    wall = datetime.combine(day, at, tzinfo=tz)
    return wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None)


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


def week_end_utc(now: datetime, tz: ZoneInfo) -> datetime:
    """The moment the member's week containing ``now`` ends: the Monday after it at 00:00
    on their own clock (``tz``), in UTC. A request that is "for this week" (a practice
    conversation) is open until then, however the member's zone differs from others'."""
    monday = week_start(local_today(now, tz)) + timedelta(days=7)
    return datetime.combine(monday, time(0), tzinfo=tz).astimezone(UTC)


# The member's today while a command or a reminder is being written for them.
_TODAY: ContextVar[date | None] = ContextVar("peerpath_today", default=None)


@contextmanager
def today_is(day: date) -> Iterator[None]:
    """Dates said inside carry their year when it is not ``day``'s: the core wraps each
    command (and the outbox each member's message) in this, so no reply has to remember
    to pass the member's today and a date of another year never reads as this year's."""
    token = _TODAY.set(day)
    try:
        yield
    finally:
        _TODAY.reset(token)


def format_date(day: date, today: date | None = None) -> str:
    """How a date reads in replies: ``Tue 24 Nov``, and ``Mon 4 Jan 2027`` when it is not
    in the year of ``today`` (by default the member's today, see :func:`today_is`)."""
    today = today or _TODAY.get()
    shown = f"{day:%a} {day.day} {day:%b}"
    return shown if today is None or day.year == today.year else f"{shown} {day.year}"
