"""/scheduled's calendar file, typed into the real console and read back with icalendar:
30 minutes at the member's own hour, on both sides of a clock change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.scenarios.console import console

SCRIPT = """\
/settings tz=America/New_York
/outreach "Jane Doe" company=Acme
/scheduled "Jane Doe" date=2026-10-30 time=10:00
/outreach "Bob Lee"
/scheduled "Bob Lee" date="next monday" time=10am
/outreach "Cy Dunn" company="Globex, Inc."
/scheduled "Cy Dunn" date=2026-11-04
/scheduled "Cy Dunn" date=2026-11-04 time=25:00
"""


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_call_files_keep_the_members_hour_across_the_us_clock_change(tmp_path: Path) -> None:
    """New York leaves daylight time on Sunday 1 November 2026. Jane's call on Friday 30
    October at 10:00 is 14:00 UTC; Bob's on Monday 2 November at 10:00 is 15:00 UTC — the
    same hour on the member's clock, each 30 minutes, each with a reminder a day before
    and the prep questions. A call with no time is an all-day entry on its day."""
    out = console(
        tmp_path / "p.db",
        SCRIPT,
        "--now",
        "2026-10-28T14:00:00+00:00",
        "--user",
        "kenji",
        "--channel",
        "dm",
    )
    assert "is on Fri 30 Oct at 10:00." in out and "is on Mon 2 Nov at 10:00." in out
    assert "`time` is a time of day such as 14:30 or 2pm, not `25:00`." in out
    new_york = ZoneInfo("America/New_York")
    for day, utc_hour, title in (
        ("2026-10-30", 14, "Informational interview: Jane Doe (Acme)"),
        ("2026-11-02", 15, "Informational interview: Bob Lee"),
    ):
        saved = tmp_path / f"informational-interview-{day}.ics"
        assert f"Saved {saved.name} to {saved}" in out
        calendar = read(saved)
        (event,) = calendar.walk("VEVENT")
        assert str(event["SUMMARY"]) == title
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None and event["DTSTART"].params["TZID"] == "America/New_York"
        assert start.astimezone(new_york).hour == 10
        assert start.astimezone(UTC) == datetime.fromisoformat(f"{day}T{utc_hour}:00:00+00:00")
        assert end - start == timedelta(minutes=30)
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(days=-1)
        assert "Questions to ask:" in str(event.decoded("DESCRIPTION"))
        (zone,) = calendar.walk("VTIMEZONE")
        assert str(zone["TZID"]) == "America/New_York"
    (all_day,) = read(tmp_path / "informational-interview-2026-11-04.ics").walk("VEVENT")
    assert str(all_day["SUMMARY"]) == "Informational interview: Cy Dunn (Globex, Inc.)"
    assert all_day.decoded("DTSTART") == datetime(2026, 11, 4).date()
    assert "add time=14:30 for a 30-minute entry" in out
