"""Deadlines are days on the member's own calendar.

A thank-you note is due *on* a day — the interview's day plus a week. Marked any time
that day, on the member's clock, it is on time; "overdue" begins the next day. Whether
it is read at 23:59 in Kolkata or after a flight to New York, the answer is the same,
because two days are compared, never two instants. /pending, the reminders, /thanked,
/mystats and the digest all ask here.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, or_

from bot.dates import format_date
from bot.models import Interview
from bot.nudges.timing import TIMINGS


def thank_you_due(held_on: date) -> date:
    """The day a thank-you for a conversation held on ``held_on`` is due."""
    return held_on + TIMINGS.thank_you_within


def overdue(due: date, today: date) -> bool:
    """Past its day: overdue from the day after ``due``."""
    return today > due


def overdue_from(due: date) -> date:
    """The first day a note due on ``due`` is overdue."""
    return due + timedelta(days=1)


def on_time(done_on: date, due: date) -> bool:
    return done_on <= due


def due_words(due: date, today: date) -> str:
    """``due Wed 2 Dec``, ``due today (Wed 2 Dec)``, ``due tomorrow (…)`` or ``overdue
    (was due Wed 2 Dec)``."""
    if overdue(due, today):
        return f"overdue (was due {format_date(due)})"
    if due == today:
        return f"due today ({format_date(due)})"
    if due == today + timedelta(days=1):
        return f"due tomorrow ({format_date(due)})"
    return f"due {format_date(due)}"


# The same rule for counting in SQL: notes marked on or before their day are on time, and
# a note's timing is settled once it is marked or its day has passed unmarked.
def on_time_sql() -> ColumnElement[bool]:
    return Interview.thanked_on <= Interview.thank_you_due_on


def settled_sql(today: ColumnElement[date]) -> ColumnElement[bool]:
    return or_(
        Interview.thanked_on.is_not(None),
        and_(Interview.thanked_on.is_(None), Interview.thank_you_due_on < today),
    )
