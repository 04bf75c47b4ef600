"""The method's rules as a cohort meets them, typed into the real console.

Each story runs members east and west of UTC through a week in which clocks change
(2026: the US on 8 March and 1 November, the EU on 29 March and 25 October), and checks
what the console prints — the only thing a member sees.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.scenarios.console import console


def between(out: str, start: str, end: str) -> str:
    """The transcript from the line ``start`` up to the line ``end``."""
    return out[out.index(start) : out.index(end, out.index(start))]


DEADLINES = """\
/group-setup tz=Europe/Berlin
/settings leaderboard=off
:as priya
/settings tz=Asia/Kolkata
/logged-interview "Jane Doe" company=Acme
/outreach "Kim Lee" company=Gamma
/scheduled "Kim Lee" date=2026-03-09
:as nora
/settings tz=America/New_York
/logged-interview "Sam Poe" company=Beta
/outreach "Lou Ray"
/scheduled "Lou Ray" date=2026-03-09
:advance 1d
:as priya
/logged-interview "Ava Moss" company=Delta
:advance 5d
:advance 179m
:now
:advance 2m
:now
:advance 1d
:advance 859m
:now
:as nora
/pending
/thanked "Sam Poe"
/mystats
:as priya
/pending
/thanked "Jane Doe"
/mystats
:advance 1d
:now
:advance 5d
:advance 5h
"""


def test_rule_1_a_deadline_is_a_day_on_the_members_own_calendar(tmp_path: Path) -> None:
    """Priya (Kolkata, UTC+05:30) and Nora (New York, which moves to summer time on Sunday
    8 March) both talk to someone on Monday 2 March: both thank-yous are due on Monday
    9 March. At 03:20 UTC on the 10th it is still the 9th for Nora — due today, on time —
    and already the 10th for Priya — overdue, late."""
    out = console(
        tmp_path / "p.db",
        DEADLINES,
        "--now",
        "2026-03-02T10:00:00+00:00",
        "--channel",
        "cohort",
        "--user",
        "coach",
    )
    assert out.count("Thank-you note due: Mon 9 Mar (best within 24-48 hours)") == 2
    # "Due tomorrow" at 09:00 on Sunday, each on their own clock: Kolkata's at 03:30 UTC,
    # New York's at 13:00 UTC — 09:00 in summer time, which began that night.
    before_nine = out[: out.index("2026-03-08T12:59")]
    assert "[DM @priya] == 2 reminders ==" in before_nine
    assert "Your thank-you to Jane Doe (Acme) is due tomorrow (Mon 9 Mar)." in before_nine
    assert "[DM @nora] == 2 reminders ==" not in before_nine
    at_nine = between(out, "2026-03-08T12:59", "2026-03-08T13:01")
    assert "[DM @nora] == 2 reminders ==" in at_nine
    assert "Your thank-you to Sam Poe (Beta) is due tomorrow (Mon 9 Mar)." in at_nine
    late_evening = out[out.index("2026-03-10T03:20") :]
    nora, priya = late_evening.split("== Your stats ==")[:2]
    assert "• Sam Poe (Beta) — due today (Mon 9 Mar)" in nora
    assert "• Lou Ray — today (Mon 9 Mar)" in nora
    assert "Marked your thank-you to Sam Poe (Beta) as sent — on time." in nora
    assert "• Jane Doe (Acme) — overdue (was due Mon 9 Mar)" in priya
    assert "• Ava Moss (Delta) — due today (Tue 10 Mar)" in priya
    assert "• Kim Lee (Gamma) — was Mon 9 Mar: log it with /logged-interview" in priya
    assert "Marked your thank-you to Jane Doe (Acme) as sent — a little late" in priya
    stats = re.findall(r"Thank-yous on time: (.*)", late_evening)
    assert stats == ["100% (1 of 1)", "0% (0 of 1)"]  # Ava's is not settled: due today
    # Ava's is overdue from Wednesday at 09:00 in Kolkata (03:30 UTC), not before.
    assert "overdue (was due Tue 10 Mar)" not in between(
        out, "2026-03-10T03:20", "2026-03-11T03:20"
    )
    assert "Your thank-you to Ava Moss (Delta) is overdue (was due Tue 10 Mar)." in out
    # The digest of 9-15 March (posted Monday 16th): Nora's note on time, Priya's late.
    digest = out[out.index("[#cohort] == Weekly digest — week of Mon 9 Mar ==") :]
    assert "· 1 thank-you on time ·" in digest.split("Longest streaks")[0]


GROUP_COMMANDS = """\
/group-setup tz=Europe/Berlin outreach=1 interviews=0
/settings leaderboard=off
:as kenji
/settings tz=Asia/Tokyo
/outreach "Mia Chen"
:as lena
/settings tz=America/Los_Angeles
/outreach "Omar Diaz"
:channel alumni
:as coach
/group-setup tz=UTC outreach=1 interviews=0
:as kenji
/join
:channel random
/leave
/leaderboard
/join
:as lena
/leave
:as coach
/digest
:channel cohort
/leaderboard
:advance 6d
:advance 750m
:now
:as lena
/outreach "Pia Roth"
:as coach
/leaderboard
:as lena
/leave
:as coach
/leaderboard
"""


def test_rule_2_group_commands_act_only_in_the_groups_channel(tmp_path: Path) -> None:
    """In #random, /leave, /join, /leaderboard and /digest refuse and name the channels
    of the member's groups; in #cohort they act — in the week Europe changes its clocks."""
    out = console(
        tmp_path / "p.db",
        GROUP_COMMANDS,
        "--now",
        "2026-03-23T10:00:00+00:00",
        "--channel",
        "cohort",
        "--user",
        "coach",
    )
    refusals = re.findall(r"This channel isn't a peerpath group, so (/\S+) .*", out)
    assert refusals == ["/leave", "/leaderboard", "/join", "/leave", "/digest"]
    assert (
        "so /leave does nothing here. Your groups' channels are #cohort and #alumni: "
        "run /leave there." in out
    )
    assert "so /leave does nothing here. Your group's channel is #cohort: run /leave there." in out
    # Nobody left anything: both are still on the board.
    assert "== This week's outreach (✓ = every goal met) ==\n1. kenji — 1 ✓\n1. lena — 1 ✓" in out
    # Sunday 29 March, 22:30 UTC: Monday in Berlin (summer time since 02:00) and Tokyo,
    # still Sunday in Los Angeles — Lena's new outreach counts for the week ending today.
    sunday_night = out[out.index("2026-03-29T22:30") :]
    assert "1. lena — 2 ✓\n2. kenji — 0" in sunday_night
    assert "== You left the group ==" in sunday_night
    assert sunday_night.rstrip().endswith("1. kenji — 0")


CONTACTS = """\
/settings tz=Europe/Berlin
/outreach "Bob O'Brien" company=Acme
/outreach "John Smith" company=Beta
/outreach "Jane Doe" company=Acme
/outreach "Jane Doe" company=Globex via=email
:press 2
/declined Bob
:press 1
/outreach Jon
:press 2
/declined "Jane Doe"
:press 2
/scheduled "Nobody Here" date=friday
/logged-interview Johnny notes="what I learned, kept"
:press 1
/history
:press 1
/mystats
:as cole
/settings tz=America/Chicago
/outreach "Bob O'Brien"
/thanked "Jane Doe"
:advance 4d
:advance 1379m
:now
:advance 2m
:now
"""


def test_rule_4_one_name_one_contact_or_a_question(tmp_path: Path) -> None:
    """Ines (Berlin) and Cole (Chicago, summer time from Sunday 8 March): exact names are
    used, namesakes are told apart by company, partial and close names are offered —
    and only /outreach and /logged-interview ever add someone."""
    out = console(
        tmp_path / "p.db", CONTACTS, "--now", "2026-03-06T15:00:00+00:00", "--user", "ines"
    )
    assert (
        "You have Jane Doe (Acme). Is Jane Doe at Globex the same person, or someone new?\n"
        "  [1] Jane Doe (Acme)\n  [2] New contact: Jane Doe (Globex)" in out
    )
    assert "Logged your request to Jane Doe (Globex), sent " in out
    assert (
        "I don't have anyone called Bob. Did you mean one of these?\n  [1] Bob O'Brien (Acme)"
        in out
    )
    assert "Marked your request to Bob O'Brien (Acme) as declined." in out
    assert "  [1] John Smith (Beta)\n  [2] New contact: Jon" in out
    assert "Logged your request to Jon, sent " in out
    assert (
        "You have 2 contacts called Jane Doe. Which one?\n  [1] Jane Doe (Acme)\n"
        "  [2] Jane Doe (Globex)" in out
    )
    assert "Marked your request to Jane Doe (Globex) as declined." in out
    assert (
        "I don't have anyone called Nobody Here. Log the request you sent first: "
        '/outreach "Nobody Here"' in out
    )
    # The question kept the notes typed with it.
    assert "Logged your conversation with John Smith (Beta) on Fri 6 Mar." in out
    assert "Notes: what I learned, kept" in out
    assert "Outreach sent: 5\n" in out  # five requests; the refused /scheduled added none
    # Cole's contacts are his own: his Bob is new to him, Ines's Jane is unknown to him.
    assert "Logged your request to Bob O'Brien, sent " in out
    assert "I don't have anyone called Jane Doe. Log the conversation first" in out
    # 3B7 for Cole at 09:00 in Chicago, summer time: 14:00 UTC on Wednesday 11 March.
    assert "[DM @cole]" not in out[: out.index("2026-03-11T13:59")]
    assert "[DM @cole] == No reply yet ==" in between(out, "2026-03-11T13:59", "2026-03-11T14:01")


REAL_OUTREACH = """\
:as rosa
/settings tz=Europe/Madrid
/outreach "Uma Lee" company=Acme
/outreach "Uma Lee"
/scheduled "Uma Lee" date=friday
/outreach "Uma Lee" company=Acme
/scheduled "Vic Tor" date=friday
/outreach "Wes Park" company=Beta
/goal
/logged-interview "Uma Lee" referrals="Uma Lee; Wes Park; Xia Lin" may-use-name=yes
/outreach "Xia Lin"
/mystats
:as tom
/settings tz=America/Denver
/logged-interview "Yuri Gold" referrals="Zoe Hart" may-use-name=no
/outreach "Zoe Hart"
:advance 6d
:advance 1290m
:now
/outreach "Amy Bell"
/goal
:advance 1h
/goal
"""


def test_rule_5_only_real_outreach_counts(tmp_path: Path) -> None:
    """Rosa (Madrid, just back on winter time) and Tom (Denver, whose clocks change on
    Sunday 1 November): a request counts once, /scheduled adds none, and referrals count
    only when they are new — the interviewee and known contacts are not "collected"."""
    out = console(
        tmp_path / "p.db", REAL_OUTREACH, "--now", "2026-10-26T09:00:00+00:00", "--user", "rosa"
    )
    assert out.count("== Already open ==") == 2
    assert "from Mon 26 Oct is still open (awaiting a reply), so nothing was added" in out
    assert "still open (scheduled for Fri 30 Oct), so nothing was added" in out
    assert "== This week ==\n2/5 outreach, 0/1 interview, 7 days left" in out
    assert "Referrals added to your contacts: Xia Lin\n" in out
    assert (
        "Already your contacts: Wes Park: now noted as introduced by Uma Lee (not added again)."
        in out
    )
    assert "Left out: Uma Lee is who you talked to, so not a referral of theirs." in out
    assert "Mention Uma Lee: Uma Lee introduced you and said you may use their name" in out
    assert "Introduced by Yuri Gold: Yuri Gold asked not to be named" in out
    assert "Outreach sent: 3\nInterviews held: 1\nReferrals collected: 1\n" in out
    # Sunday 1 November, 23:30 in Denver (winter time since 02:00): still Tom's week.
    sunday = out[out.index("2026-11-02T06:30") :]
    weeks = re.findall(r"== This week ==\n(.*)", sunday)
    assert weeks == [
        "2/5 outreach, 1/1 interview, 1 day left",
        "0/5 outreach, 0/1 interview, 7 days left",
    ]


BUTTONS = """\
:as sara
/settings tz=Asia/Singapore
/logged-interview "Ada Ng" company=Acme
/logged-interview "Ben Ong" date=yesterday
/pending
:as noah
:press 1
:as sara
/pending
/thanked
/undo
:as noah
:press 1
/settings tz=America/New_York
/outreach "Cal Fox"
/scheduled "Cal Fox" date=2026-11-02
:advance 6d
:advance 719m
:now
:advance 2m
:now
:press 1
"""


def test_rule_12_buttons_say_what_they_are_for(tmp_path: Path) -> None:
    """Sara (Singapore) and Noah (New York, back on winter time from 1 November): every
    button in a list names its item, a button pressed by the wrong member says whose it
    is and does nothing, and a folded DM after downtime keeps each button's name."""
    db = tmp_path / "p.db"
    out = console(db, BUTTONS, "--now", "2026-10-28T02:00:00+00:00", "--user", "sara")
    assert "  [1] Thank-you sent: Ben Ong\n  [2] Thank-you sent: Ada Ng" in out
    assert out.count("== That didn't work ==\nThis button is for someone else.") == 2
    assert out.count("• Ben Ong — due Tue 3 Nov") == 2  # the other member's press did nothing
    assert (
        "  [1] Thank-you sent: Ben Ong — Tue 27 Oct\n  [2] Thank-you sent: Ada Ng — Wed 28 Oct"
        in out
    )
    assert "  [1] Undo: Ben Ong" in out
    how = between(out, "2026-11-03T13:59", "2026-11-03T14:01")  # 09:00 in New York, EST
    assert "[DM @noah] == How did it go? ==" in how
    assert "  [1] Log it: Cal Fox\n  [2] Snooze 1 day: Cal Fox" in how
    assert "Logged your conversation with Cal Fox on Mon 2 Nov." in out
    later = console(db, "", "--now", "2026-11-05T03:00:00+00:00", "--user", "sara")
    assert "[DM @sara] == 2 reminders ==" in later
    assert (
        "  [1] Thank-you sent: Ada Ng\n  [2] Snooze 1 day: Ada Ng\n"
        "  [3] Thank-you sent: Ben Ong\n  [4] Snooze 1 day: Ben Ong" in later
    )


WORDS = """\
/group-setup tz=Europe/Berlin outreach=1 interviews=1
/settings leaderboard=off
:as aki
/settings tz=Australia/Sydney
/outreach "Dana Fox"
/logged-interview "Dana Fox" referrals="Eli Cho" may-use-name=yes
/thanked "Dana Fox"
/goal
/pause weeks=1 from=2026-11-02
/pause weeks=0
/mystats
/pending
/export
:as bo
/settings tz=America/Anchorage leaderboard=off
/outreach "Finn Gray"
/goal
/history
/undo
:press 1
/peerpath undo
/prep field=nursing
/prep field=astronomy
:advance 167h
:advance 59m
:now
:advance 2m
:now
:as coach
/leaderboard view=streak
/digest
"""


def test_rule_13_words_agree_with_numbers_in_plain_titled_text(tmp_path: Path) -> None:
    """Aki (Sydney) and Bo (Anchorage) in a Berlin group over the night Europe leaves
    summer time: every reply has a title, one of anything is singular, and the console
    shows no markdown."""
    out = console(
        tmp_path / "p.db",
        WORDS,
        "--now",
        "2026-10-19T08:00:00+00:00",
        "--channel",
        "cohort",
        "--user",
        "coach",
    )
    typed = [line for line in WORDS.splitlines() if line.startswith(("/", ":press"))]
    titles = re.findall(r"^== .+ ==$", out, re.M)  # replies to what was typed (DMs are prefixed)
    assert len(titles) == len(typed)
    assert "`" not in out and "*" not in out
    for words in (
        "1/1 outreach, 1/1 interview, 7 days left ✓ goals met",
        "Streak: 1 week (longest 1 week)",
        "Cancelled 1 upcoming paused week.",
        "Referrals collected: 1\n",
        "Thank-yous on time: 100% (1 of 1)",
        "4 records: your contacts",
        "== Your last log ==",
        "Goals: 1 of 1 member met every goal",
        "Group totals: 1 outreach · 1 interview · 1 thank-you on time · 1 referral collected",
        "1. aki — 1 week (longest 1 week)",
    ):
        assert words in out, words
    assert "== Questions for your conversation about nursing ==" in out
    assert "== Questions for your conversation ==\n" in out  # astronomy: the general set
    assert "There are no questions written for astronomy yet" in out
    # The digest at 09:00 in Berlin on the first Monday of winter time: 08:00 UTC.
    assert "[#cohort] == Weekly digest — week of Mon 19 Oct ==" in between(
        out, "2026-10-26T07:59", "2026-10-26T08:01"
    )


MENDING = """\
:as ella
/settings tz=Europe/Berlin
/outreach "Gus Hale" company=Acme
/logged-interview "Gus Hale" notes="first draft"
/goal
/history
:press 1
:press 1
/history edit=1 date=2026-03-29 via=video notes="cleaned up"
/goal
/pending
/undo
:press 1
/goal
:as max
/settings tz=America/Phoenix
/outreach "Ida Moe"
/undo confirm=yes
/history
"""


def test_mending_undo_and_history(tmp_path: Path) -> None:
    """Ella (Berlin, summer time from Sunday 29 March) moves an interview back into the
    week that ended with the clock change, then takes it back; Max (Phoenix) undoes his
    only log. Counts follow every change."""
    out = console(
        tmp_path / "p.db", MENDING, "--now", "2026-03-30T08:00:00+00:00", "--user", "ella"
    )
    weeks = re.findall(r"== This week ==\n(.*)", out)
    assert weeks == [
        "1/5 outreach, 1/1 interview, 7 days left",
        "1/5 outreach, 0/1 interview, 7 days left",  # the interview moved to last week
        "1/5 outreach, 0/1 interview, 7 days left",  # and then was taken back
    ]
    assert 'Change any of it with /history edit=i1 date=2026-03-30 notes="first draft"' in out
    assert "now reads: Interview with Gus Hale (Acme) on Sun 29 Mar, via video" in out
    assert "• Gus Hale (Acme) — due Sun 5 Apr" in out
    assert "Take back your interview with Gus Hale (Acme) on Sun 29 Mar" in out
    assert "Took back your interview with Gus Hale (Acme) on Sun 29 Mar." in out
    assert "Took back your outreach to Ida Moe on Mon 30 Mar." in out
    assert out.rstrip().endswith("Nothing logged yet. Start with /outreach or /logged-interview.")
