"""A thank-you is due on a day of the member's calendar: on time through its end, overdue
from the next day — whatever the clock or time zone says when it is read."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot import deadlines
from bot.clock import SimulatedClock
from bot.models import Nudge
from tests.support import Person


def test_the_rule_compares_days() -> None:
    due = date(2026, 3, 9)
    assert deadlines.thank_you_due(date(2026, 3, 2)) == due
    assert not deadlines.overdue(due, due) and deadlines.overdue(due, date(2026, 3, 10))
    assert deadlines.on_time(due, due) and not deadlines.on_time(date(2026, 3, 10), due)
    assert deadlines.due_words(due, date(2026, 3, 8)) == "due tomorrow (Mon 9 Mar)"
    assert deadlines.due_words(due, due) == "due today (Mon 9 Mar)"
    assert deadlines.due_words(due, date(2026, 3, 10)) == "overdue (was due Mon 9 Mar)"
    assert deadlines.due_words(due, date(2026, 3, 1)) == "due Mon 9 Mar"


async def test_marked_at_the_last_minute_of_the_day_is_on_time(
    ann: Person, clock: SimulatedClock
) -> None:
    await ann.say("/settings tz=Pacific/Auckland")  # UTC+13 in November
    await ann.say('/logged-interview "Jane Doe"')  # Wed 18 Nov, 23:00 in Auckland
    clock.set(datetime(2026, 11, 25, 10, 59, tzinfo=UTC))  # Wed 25 Nov, 23:59 in Auckland
    assert "— on time." in (await ann.say("/thanked Jane Doe")).text
    await ann.say('/logged-interview "Sam Poe" date=2026-11-18')
    clock.set(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))  # Thu 26 Nov, 00:00 in Auckland
    assert "a little late" in (await ann.say("/thanked Sam Poe")).text
    stats = {f.name: f.value for f in (await ann.say("/mystats")).fields}
    assert stats["Thank-yous on time"] == "50% (1 of 2)"


async def test_a_new_zone_keeps_the_day_and_moves_its_reminders_to_it(
    ann: Person, clock: SimulatedClock
) -> None:
    await ann.say("/settings tz=Asia/Tokyo")
    await ann.say('/logged-interview "Jane Doe"')  # Wed 18 Nov: due Wed 25 Nov
    await ann.say("/settings tz=America/Los_Angeles")
    pending = await ann.say("/pending")
    assert "Jane Doe — due Wed 25 Nov" in pending.fields[0].value
    async with ann.app.sessions() as session:
        moments = dict((await session.execute(select(Nudge.kind, Nudge.next_at))).all())
    # 09:00 in Los Angeles the day before the due day, and the day after it.
    assert moments["thanks-due"] == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    assert moments["thanks-overdue"] == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
