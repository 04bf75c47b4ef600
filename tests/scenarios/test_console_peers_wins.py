"""Wins and practice conversations over two simulated weeks, typed into the real console.

A group in Berlin with members on four clocks: ana (Berlin), ben (New York), cai
(Kolkata) and dee (the group's zone, reminders off). It runs from Monday 2 March 2026.

Wins: ana logs an interview with a contact whose name, company, role, referrals and
notes are planted strings, and shares it with a line; ben's press of her button is
refused; ben schedules a call and shares that with his own button. Neither post may
carry a planted string, and the digest of 9 March lists both wins.

Practice, across the week's edge: ana asks on Sunday 8 March at 22:30 UTC (23:30 in
Berlin, her week's last hour) and nobody else asks before her week ends, so her request
lapses unmatched. Ben asks at 23:30 UTC (19:30 Sunday in New York: still his week), waits,
and is paired with cai, who asks at 00:30 UTC on Monday (06:00 in Kolkata: her new week)
while ben's request is still open — ben asked first, so he plays the job seeker. In week
two ana asks again and dee (reminders off) pairs with her. Practice never counts as an
interview: /mystats keeps it apart, and boards and the digest count no interview for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.scenarios.console import console

PLANTED = (
    "Quinn Plantedcontact",
    "Zyxplantco",
    "Plantedrole",
    "Rory Plantedref",
    "PLANTEDNOTE",
    "Tess Plantedtwo",
    "Plantedtwoco",
)

LOG = (  # every detail of the interview is a planted string the channel must never show
    '/logged-interview "Quinn Plantedcontact" role=Plantedrole '
    'referrals="Rory Plantedref; Sam Other" notes="PLANTEDNOTE at Zyxplantco"'
)
SCRIPT = f"""
/group-setup tz=Europe/Berlin
:as ana
/settings tz=Europe/Berlin
:as ben
/settings tz=America/New_York
:as cai
/settings tz=Asia/Kolkata
:as dee
/settings reminders=off
:as ana
/outreach "Quinn Plantedcontact" company=Zyxplantco
{LOG}
:as ben
:press 2
:as ana
/win text="Nervous beforehand, glad I asked!"
/win
:as ben
/outreach "Tess Plantedtwo" company=Plantedtwoco
/scheduled "Tess Plantedtwo" date=friday
:press 2
:advance 1m
:advance 6d
:advance 809m
:now
:as ana
/practice field="UX research"
:advance 60m
:as ben
/practice
/practice
:advance 60m
:as cai
/practice field=nursing
:advance 1m
:as ben
:press 1
:as ana
/practice
:advance 450m
:now
:as ana
/practice
:as dee
/practice
:advance 1m
:as dee
:press 1
:as ben
/mystats
:as dee
/mystats
:advance 7d
/leaderboard view=all
"""


def messages(transcript: str) -> list[str]:
    """The transcript cut into messages: each starts with a title (``== … ==``) or the
    target it was delivered to (``[#cohort]``, ``[DM @ana]``)."""
    found: list[str] = []
    for line in transcript.splitlines():
        if line.startswith(("== ", "[#", "[DM @")) or not found:
            found.append(line)
        else:
            found[-1] += "\n" + line
    return found


def test_wins_and_practice_over_two_weeks(tmp_path: Path) -> None:
    out = console(
        tmp_path / "peers.db",
        SCRIPT,
        "--channel",
        "cohort",
        "--user",
        "coach",
        "--now",
        "2026-03-02T09:00:00+00:00",
    )
    said = messages(out)
    posts = [m for m in said if m.startswith("[#cohort]")]
    wins = [p for p in posts if "🎉" in p]

    # Wins: two posts, what happened and the members' own line — nothing else.
    assert wins == [
        "[#cohort] 🎉 @ana held an informational interview and collected 2 referrals\n"
        "“Nervous beforehand, glad I asked!”",
        "[#cohort] 🎉 @ben scheduled an informational interview",
    ]
    for post in posts:
        for planted in PLANTED:
            assert planted not in post, (planted, post)
    assert "This button is for someone else." in out  # ben pressing ana's Share
    assert "You have no win waiting to be shared." in out  # ana's second /win

    # The digest of 9 March lists the week's wins; the next one has none.
    first, second = [p for p in posts if "Weekly digest" in p]
    assert "2 wins shared:\nana — 1\nben — 1" in first
    assert "wins shared" not in second

    # Practice: ana's request of Sunday night lapsed unmatched; ben waited, then paired
    # with cai (ben asked first: he plays the job seeker).
    assert "Your request lapses at the end of Sun 8 Mar (your time)" in out
    assert "You asked already and are waiting for a partner from #cohort." in out
    assert "You're paired with @ben!" in out
    ben_dm, cai_dm = (
        next(m for m in said if m.startswith(f"[DM @{who}] == Your practice conversation"))
        for who in ("ben", "cai")
    )
    assert "You play the job seeker and @cai plays the contact" in ben_dm
    assert "@ben plays the job seeker and you play the contact" in cai_dm
    assert "about nursing" in ben_dm and len(re.findall(r"^\d\. ", ben_dm, re.M)) == 3
    assert not any(m.startswith("[DM @ana] == Your practice") for m in said[: said.index(ben_dm)])

    # Week two: ana asks again (a new week of hers) and dee, with reminders off, pairs.
    assert "[DM @dee] == Your practice conversation" in out
    assert "You play the job seeker and @dee plays the contact" in out  # ana's DM
    assert out.count("== Practice done ==") == 2

    # Practice is counted apart, never as an interview.
    ben_stats, dee_stats = [m for m in said if m.startswith("== Your stats ==")]
    assert "Interviews held: 0" in ben_stats and "Practice conversations: 1" in ben_stats
    assert "Interviews held: 0" in dee_stats and "Practice conversations: 1" in dee_stats
    assert "0 outreach · 0 interviews" in second
    board = next(m for m in said if m.startswith("== Interviews, all time"))
    assert re.search(r"ana — 1\b", board) and re.search(r"ben — 0\b", board)
