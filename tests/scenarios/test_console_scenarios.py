"""Whole stories typed into the console, checked on what it prints."""

import csv
from pathlib import Path

from tests.scenarios.console import console

STORY = """\
/outreach "Jane Doe" company=Acme via=linkedin date=yesterday
/scheduled "Jane Doe" date="next tuesday"
/pending
:advance 7d
/logged-interview "Jane Doe" company=Acme role="Data Analyst" referrals="Bob Lee; Ann Wu" \
notes="Loves SQL; hiring in spring"
/pending
:press 1
/pending
/export
/forget-me
:press 1
/pending
"""


def test_the_whole_story(tmp_path: Path) -> None:
    out = console(tmp_path / "p.db", STORY, "--now", "2026-11-18T10:00:00+00:00")
    assert "== Outreach logged ==" in out
    assert "Your conversation with Jane Doe (Acme) is on Tue 24 Nov." in out
    assert "Scheduled (1):\n• Jane Doe (Acme) — Tue 24 Nov" in out or "Scheduled (1): • Jane" in out
    assert "Logged your conversation with Jane Doe (Acme) on Wed 25 Nov." in out
    assert "Thank-you note due: Wed 2 Dec" in out
    assert "Referrals added to your contacts: Bob Lee, Ann Wu" in out
    assert "• Jane Doe (Acme) — due Wed 2 Dec" in out
    assert "Marked your thank-you to Jane Doe (Acme) as sent — on time." in out
    assert "Saved peerpath-export-2026-11-25.csv to " in out
    exported = list(csv.DictReader((tmp_path / "peerpath-export-2026-11-25.csv").open()))
    assert [r["record"] for r in exported] == [
        "contact",
        "contact",
        "contact",
        "outreach",
        "interview",
    ]
    assert exported[-1]["notes"] == "Loves SQL; hiring in spring"
    assert "== Deleted ==" in out
    assert out.rstrip().endswith(
        "Nothing is waiting on you. A good moment to send some outreach: /outreach"
    )


def test_state_persists_between_runs(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    console(db, '/logged-interview "Jane Doe" date=today\n', "--now", "2026-11-18T10:00:00+00:00")
    out = console(db, "/pending\n:now\n", "--now", "2026-11-30T10:00:00+00:00")
    assert "• Jane Doe — overdue (was due Wed 25 Nov)" in out
    assert "2026-11-30T10:00:00+00:00" in out


def test_members_and_channels(tmp_path: Path) -> None:
    script = """
/logged-interview "Ann's Contact" notes=private
:as ben
/pending
/thanked "Ann's Contact"
:channel jobs
:as ann
/pending
:press 1
:press 9
:advance soon
:bogus
"""
    out = console(tmp_path / "p.db", script, "--user", "ann", "--now", "2026-11-18T10:00:00+00:00")
    assert out.count("Nothing is waiting on you") == 1  # ben sees nothing of ann's
    assert "I don't have anyone called Ann's Contact." in out
    assert "Marked your thank-you to Ann's Contact as sent" in out
    assert "There is no button 9 on the last message" in out
    assert "e.g. :advance 2d" in out
    assert ":as NAME" in out


def test_bad_input_in_the_console_is_friendly(tmp_path: Path) -> None:
    out = console(
        tmp_path / "p.db",
        '/logged-interview\n/outreach "Jane date=blue\n/settings tz=Berln\n/nope\n',
        "--now",
        "2026-11-18T10:00:00+00:00",
    )
    assert "/logged-interview needs `contact`." in out
    assert "A quote was opened but never closed." in out
    assert "Did you mean Europe/Berlin" in out
    assert "There is no /nope command." in out
