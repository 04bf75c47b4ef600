"""Calendar files (RFC 5545) for the dates peerpath keeps: written with the ``icalendar``
library, never by hand, so quoting, line folding and time zones are right.

A call with a time of day is a 30-minute event at that time on the member's clock, with
the zone's definition (VTIMEZONE) included, so a call in a week the clocks change lands
at the hour the member meant. Days (a thank-you due, a 3B7 step, a call without a time)
are all-day events. Each entry has a stable UID, so a subscribed calendar updates an
event in place rather than adding it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from bot import questions
from bot.replies import Attachment

CALL_LENGTH = timedelta(minutes=30)
REMIND_BEFORE = timedelta(days=1)
PRODUCT = "-//peerpath//informational interviews//EN"


@dataclass(frozen=True)
class Entry:
    """One date to show: ``at`` None makes it an all-day entry on ``day``."""

    uid: str
    summary: str
    day: date
    at: time | None = None
    description: str = ""
    remind: bool = False  # an alarm the day before


def call_summary(contact_label: str) -> str:
    return f"Informational interview: {contact_label}"


def prep_text() -> str:
    """The questions and reminders /prep gives, for a call's description."""
    asked = "\n".join(f"{n}. {q}" for n, q in enumerate(questions.handful(), start=1))
    remember = "\n".join(f"- {r}" for r in questions.REMINDERS)
    return f"Questions to ask:\n{asked}\n\nRemember:\n{remember}"


def event(entry: Entry, tz: ZoneInfo, stamp: datetime) -> Event:
    found = Event()
    found.add("uid", entry.uid)
    found.add("dtstamp", stamp)
    found.add("summary", entry.summary)
    if entry.at is None:
        found.add("dtstart", entry.day)
        found.add("dtend", entry.day + timedelta(days=1))
    else:
        start = datetime.combine(entry.day, entry.at, tzinfo=tz)
        found.add("dtstart", start)
        found.add("dtend", start + CALL_LENGTH)
    if entry.description:
        found.add("description", entry.description)
    if entry.remind:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Tomorrow: {entry.summary}")
        alarm.add("trigger", -REMIND_BEFORE)
        found.add_component(alarm)
    return found


def calendar(entries: list[Entry], tz: ZoneInfo, stamp: datetime, name: str) -> bytes:
    """An iCalendar file of ``entries``, times in ``tz`` with its definition included."""
    found = Calendar()
    found.add("prodid", PRODUCT)
    found.add("version", "2.0")
    found.add("x-wr-calname", name)
    found.add("x-wr-timezone", tz.key)
    for entry in entries:
        found.add_component(event(entry, tz, stamp))
    found.add_missing_timezones()
    return found.to_ical()


def call_file(entry: Entry, tz: ZoneInfo, stamp: datetime) -> Attachment:
    """The .ics a member adds to their calendar for one call (its name says no more than
    the day: file names can end up in logs, contact names must not)."""
    content = calendar([entry], tz, stamp, "peerpath")
    return Attachment(
        f"informational-interview-{entry.day.isoformat()}.ics", content, "text/calendar"
    )
