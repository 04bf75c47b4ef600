"""Reminders in the console: each fires at its time, once, on the member's clock."""

from pathlib import Path

from tests.scenarios.console import console

WED = "2026-11-18T10:00:00+00:00"


def dm_lines(out: str, who: str = "ann") -> list[str]:
    return [line for line in out.splitlines() if line.startswith(f"[DM @{who}]")]


def test_thank_you_nudges_wait_out_quiet_hours_and_stop_after_the_button(tmp_path: Path) -> None:
    script = """\
/settings tz=America/New_York quiet=21-8
/logged-interview "Jane Doe" company=Acme
:advance 1d
:now
:advance 3h
:press 2
:advance 1d
:press 1
:advance 10d
"""
    out = console(tmp_path / "p.db", script, "--user", "ann", "--now", WED)
    # Due Thu 05:00 in New York — quiet hours — so it waits until 08:00 (13:00 UTC).
    assert out.index("2026-11-19T10:00:00+00:00") < out.index("[DM @ann]")
    assert dm_lines(out) == ["[DM @ann] == Thank-you note ==", "[DM @ann] == Thank-you note =="]
    assert "Snoozed — I'll remind you again Fri 20 Nov at 08:00." in out
    assert "Marked your thank-you to Jane Doe (Acme) as sent — on time." in out


def test_follow_ups_and_meetings_on_the_members_calendar(tmp_path: Path) -> None:
    script = """\
/settings tz=Asia/Tokyo hour=9
/outreach "Sam Poe" company=Beta
/outreach "Kim Lee" company=Gamma
/scheduled "Kim Lee" date="next monday"
:advance 3d
:now
:advance 1d
:advance 2d
:press 1
:advance 10d
/pending
"""
    out = console(tmp_path / "p.db", script, "--user", "ann", "--now", WED)  # 19:00 in Tokyo
    titles = [line.split("== ")[1].strip(" =") for line in dm_lines(out)]
    assert titles == [
        "Your conversation is tomorrow",  # Sun 22 Nov 09:00 Tokyo
        "No reply yet",  # Mon 23 Nov 09:00 Tokyo: 3 business days after Wed
        "How did it go?",  # Tue 24 Nov
        "Time for one follow-up",  # Fri 27 Nov: 7 business days
        "Thank-you note",  # for the interview logged with the button: due tomorrow
        "Thank-you note",  # and overdue
    ]
    assert "Logged your conversation with Kim Lee (Gamma) on Mon 23 Nov." in out
    assert "Awaiting a reply" not in out.split("== Pending ==")[-1]


def test_restart_sends_missed_nudges_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    console(
        db, '/logged-interview "Jane Doe"\n/outreach "Sam Poe"\n', "--user", "ann", "--now", WED
    )
    later = console(db, "", "--user", "ann", "--now", "2026-11-25T11:00:00+00:00")
    assert dm_lines(later) == ["[DM @ann] == 2 reminders =="]
    # Due on Wed 25 Nov: on that day, on the member's calendar, it is due today, not late.
    assert "due today (Wed 25 Nov)" in later and "second person" in later
    again = console(db, "", "--user", "ann", "--now", "2026-11-25T12:00:00+00:00")
    assert dm_lines(again) == []
