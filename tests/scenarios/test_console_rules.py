"""The method's reminder rules 6–9, typed into the real console.

Members east of UTC (Tokyo, Kolkata, Berlin) and west (Los Angeles, New York) across the
autumn 2026 clock changes (the EU on Sunday 25 October, the US on Sunday 1 November);
each story checks what the console prints — the only thing a member sees.
"""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.console import console
from tests.scenarios.test_console_method import between

EMPLOYERS = """\
/settings tz=Asia/Tokyo
/outreach "Ana Ito" company=Acme
/outreach "Ben Sato" company="ACME "
/outreach "Cy Mori"
:as lena
/settings tz=America/Los_Angeles
/outreach "Gus Park" company=Initech
/outreach "Ivy Lu" company=Umbrella
:advance 1d
/outreach "Hal Kim" company=INITECH
:advance 1d
:advance 899m
:now
:advance 2m
:now
:advance 2d
/pending
:advance 478m
:now
:advance 2m
:now
:as kenji
/pending
:advance 1d
:now
"""


def test_rule_6_a_second_person_only_where_no_one_else_is_asked(tmp_path: Path) -> None:
    """Kenji (Tokyo) writes to two people at Acme (typed "Acme" and "ACME ") and to Cy,
    who has no employer, on Wednesday 28 October; Lena (Los Angeles) to Gus at Initech and
    Ivy at Umbrella on Tuesday, and to Hal at "INITECH" on Wednesday. Three business days
    on, Kenji's two Acme requests come as one message naming both, with no "second
    person" (he has asked two); Cy's advice names no employer; Lena hears only about Ivy —
    Gus and Hal each have the other — on Friday at 09:00 in Los Angeles, and nothing on
    Monday 2 November, the first day of standard time, when Hal's step falls due."""
    out = console(
        tmp_path / "p.db",
        EMPLOYERS,
        "--now",
        "2026-10-28T01:00:00+00:00",
        "--user",
        "kenji",
        "--channel",
        "dm",
    )
    assert "From Mon 2 Nov, if no reply: Reach out to a second person at Acme." in out
    assert (
        "From Mon 2 Nov, if no reply: You have written to Ana Ito at Acme too, so no need for "
        "another person there: try a new employer." in out
    )
    assert "From Mon 2 Nov, if no reply: Reach out to a second person who does this kind" in out
    assert "You have written to Gus Park at Initech too" in out
    # Friday 30 October, 09:00 in Los Angeles (16:00 UTC): Ivy only.
    friday = between(out, "2026-10-30T15:59", "2026-10-30T16:01")
    assert friday == (
        "2026-10-30T15:59:00+00:00\n[DM @lena] == No reply yet ==\n3 business days since you "
        "wrote to Ivy Lu (Umbrella). Don't wait: reach out to a second person at Umbrella "
        "today.\n"
    )
    lena_pending = between(out, "2026-10-30T16:01", "2026-11-01T23:59")
    assert "• Gus Park (Initech) — sent Tue 27 Oct, another person there is asked too; " in (
        lena_pending
    )
    assert "• Ivy Lu (Umbrella) — sent Tue 27 Oct, try a second person there" in lena_pending
    # Monday 2 November, 09:00 in Tokyo (00:00 UTC): one message for Acme, one for Cy.
    monday = between(out, "2026-11-01T23:59", "2026-11-02T00:01")
    assert "[DM @kenji] == 2 reminders ==" in monday
    assert (
        "No reply yet: 3 business days without a reply from Ana Ito and Ben Sato at Acme. You "
        "have written to more than one person there, so no need for another" in monday
    )
    assert (
        "No reply yet: 3 business days since you wrote to Cy Mori. Don't wait: reach out to a "
        "second person who does this kind of work today." in monday
    )
    assert monday.count("second person") == 1  # Cy's, which names no employer
    kenji_pending = out[out.index("2026-11-02T00:01") :]
    assert "• Cy Mori — sent Wed 28 Oct, try a second person in the field" in kenji_pending
    assert "• Ben Sato (ACME) — sent Wed 28 Oct, another person there is asked too" in (
        kenji_pending
    )
    # Hal's step (Monday 09:00 in Los Angeles, 17:00 UTC) says nothing: Gus is asked.
    assert out.count("[DM @lena]") == 1


RESTING = """\
/settings tz=America/New_York reminders=off
/outreach "Sam Poe" company=Beta
:as priya
/settings tz=Europe/Berlin hour=23
/pause weeks=1
/outreach "Kim Lee" company=Gamma
:advance 9d
:advance 658m
:now
/pending
:as nora
/pending
:advance 2m
:now
:as priya
/pending
:as nora
/pending
:advance 5h
:now
/pending
/history
/outreach "Sam Poe" company=Beta
"""


def test_rule_7_an_unanswered_request_rests_after_its_follow_up_day(tmp_path: Path) -> None:
    """Nora (New York, reminders off) and Priya (Berlin, paused, her reminder hour inside
    her quiet hours so every reminder waits) write on Monday 19 October; 7 business days
    on is Wednesday 28 October. Each request awaits a reply through that day on the
    member's own calendar — Berlin on winter time since Sunday — and has had none from the
    next, though no follow-up reminder went out: /pending drops it, /history says "no
    reply", and writing again counts as new outreach."""
    out = console(
        tmp_path / "p.db",
        RESTING,
        "--now",
        "2026-10-19T12:00:00+00:00",
        "--user",
        "nora",
        "--channel",
        "dm",
    )
    awaiting_nora = "Awaiting a reply (1): • Sam Poe (Beta) — sent Mon 19 Oct, send one polite"
    awaiting_priya = "Awaiting a reply (1): • Kim Lee (Gamma) — sent Mon 19 Oct, send one polite"
    # 23:58 in Berlin, 18:58 in New York: both still on their follow-up day.
    last_minutes = between(out, "2026-10-28T22:58", "2026-10-28T23:00")
    assert awaiting_priya in last_minutes and awaiting_nora in last_minutes
    # Midnight in Berlin: Priya's request rests; Nora's day goes on.
    berlin_midnight = between(out, "2026-10-28T23:00", "2026-10-29T04:00")
    assert awaiting_priya not in berlin_midnight
    assert berlin_midnight.count("== Nothing pending ==") == 1
    assert awaiting_nora in berlin_midnight
    after = out[out.index("2026-10-29T04:00") :]
    assert "== Nothing pending ==" in after
    assert "1. Outreach to Sam Poe (Beta) on Mon 19 Oct, no reply" in after
    assert "Logged your request to Sam Poe (Beta), sent " in after
    assert "[DM @nora]" not in out  # reminders off: the rule did not need one
    assert "[DM @priya] == Time for one follow-up ==" not in out[: out.index("2026-10-29T04:00")]


DIGESTS = """\
/group-setup tz=America/Los_Angeles outreach=1 interviews=0
/settings leaderboard=off
:as wes
/outreach "Ada West"
:advance 4d
:advance 510m
:now
:channel east
:as coach
/group-setup tz=Asia/Kolkata outreach=1 interviews=0
:as e1
/outreach "Raj One"
:as e2
/outreach "Raj Two"
:as e3
/join
:as e4
/join
:advance 869m
:now
:advance 2m
:now
:channel west
:as coach
/group-setup digest-day=tuesday digest-hour=10
:advance 5d
:channel east
/group-setup digest-hour=7
:advance 1d
:advance 508m
:now
:advance 2m
:now
:advance 1d
:advance 988m
:now
:advance 2m
:now
"""


def test_rule_8_a_digest_per_week_of_the_group_once_at_its_hour(tmp_path: Path) -> None:
    """#west (Los Angeles) exists from Wednesday 28 October; #east (Kolkata) from Monday
    2 November, 08:00 local. East gets no digest for the week before it existed — neither
    at 09:00 that Monday nor at midnight UTC. West's digest of the week of 26 October goes
    out on Monday 2 November at 09:00 in Los Angeles (17:00 UTC, standard time since
    Sunday), once, though its day then moves to Tuesday; east's hour moves to 07:00 and its
    first digest comes then (01:30 UTC on the 9th): 2 of 4 members met their goal, which
    is not more than half."""
    out = console(
        tmp_path / "p.db",
        DIGESTS,
        "--now",
        "2026-10-28T18:00:00+00:00",
        "--user",
        "coach",
        "--channel",
        "west",
    )
    west_first = "[#west] == Weekly digest — week of Mon 26 Oct =="
    assert out.count(west_first) == 1
    assert west_first in between(out, "2026-11-02T16:59", "2026-11-02T17:01")
    assert "[#east] == Weekly digest — week of Mon 26 Oct" not in out
    assert out.count("[#east] == Weekly digest") == 1
    east = between(out, "2026-11-09T01:29", "2026-11-09T01:31")
    assert "[#east] == Weekly digest — week of Mon 2 Nov ==" in east
    assert "2 of 4 members met every goal" in east
    assert "More than half" not in east
    assert "[#west] == Weekly digest — week of Mon 2 Nov ==" in between(
        out, "2026-11-10T17:59", "2026-11-10T18:01"
    )
    assert out.count("[#west] == Weekly digest") == 2


BEFORE_DOWNTIME = """\
/settings tz=Europe/Berlin
/goal outreach=2 interviews=0
/outreach "Ada One"
/outreach "Ben Two"
:as bo
/settings tz=America/New_York
/goal outreach=5 interviews=2
:advance 7d
:as ann
/outreach "Cy Three"
:as bo
/logged-interview "Dee Four"
:advance 1d
"""


def test_rule_9_check_ins_keep_their_day_and_say_what_is_needed(tmp_path: Path) -> None:
    """Ann (Berlin) and Bo (New York) belong to no group but set weekly goals on Monday
    19 October. In that week Ann meets hers (a streak of one week begins) and Bo hears a
    midweek check-in and a last call in numbers, with no streak to keep alive. Then
    peerpath is down from Tuesday 27 October until Friday afternoon: Bo's midweek check-in
    of Wednesday is dropped for Friday's last call, and each last call says exactly what
    is still needed — one noun agreeing with each number."""
    db = tmp_path / "p.db"
    first = console(db, BEFORE_DOWNTIME, "--now", "2026-10-19T10:00:00+00:00", "--user", "ann")
    assert "[DM @bo] == Midweek check-in ==" in first
    assert (
        "There is still time before Sunday: 5 more outreach to meet your goal of 5 and 2 more "
        "interviews to meet your goal of 2 — meet your goals and this week starts a streak."
        in first
    )
    # Ann's goal was met on Monday: no check-in for her; one of each for Bo.
    assert first.count("Midweek check-in") == first.count("Last call for this week") == 1
    assert "keep" not in first.split("[DM @bo] == Last call for this week ==")[1]
    # Friday 30 October, 14:00 UTC: 15:00 in Berlin, 10:00 in New York.
    later = console(db, "", "--now", "2026-10-30T14:00:00+00:00", "--user", "ann")
    assert "Midweek check-in" not in later
    assert later.count("Last call for this week: ") == 2
    assert (
        "1/2 outreach, 0/0 interviews, 3 days left. There is still time before Sunday: 1 more "
        "outreach to meet your goal of 2 — that keeps your streak of 1 week alive." in later
    )
    assert (
        "0/5 outreach, 1/2 interviews, 3 days left. There is still time before Sunday: 5 more "
        "outreach to meet your goal of 5 and 1 more interview to meet your goal of 2 — meet "
        "your goals and this week starts a streak." in later
    )


def test_rule_9_a_member_who_joins_midweek_hears_that_days_check_in_on_time(
    tmp_path: Path,
) -> None:
    """Found in a play-test: Bob joined on Wednesday before his reminder hour and heard
    Wednesday's check-in on Thursday morning. Kim (New York, west of UTC) sets a goal of
    her own later that morning and hears hers at 09:00 her time, the same day. Spring
    2027: the US clocks change on Sunday 14 March, after this week."""
    script = """\
/group-setup tz=UTC
:advance 2d
:as bob
/join
:advance 59m
:now
:advance 2m
:now
:as kim
/settings tz=America/New_York
/goal outreach=2
:advance 290m
:now
:advance 20m
:now
"""
    out = console(tmp_path / "p.db", script, "--now", "2027-03-08T08:00:00Z", "--user", "admin")
    on_time = between(out, "2027-03-10T08:59:00+00:00", "2027-03-10T09:01:00+00:00")
    assert "[DM @bob] == Midweek check-in ==" in on_time
    kims = between(out, "2027-03-10T13:51:00+00:00", "2027-03-10T14:11:00+00:00")
    assert "[DM @kim] == Midweek check-in ==" in kims  # 09:00 EST
    assert out.count("[DM @bob] == Midweek check-in ==") == 1


def test_rule_9_goals_kept_after_leaving_keep_their_check_ins(tmp_path: Path) -> None:
    """Found in a play-test: Bob (New York) left the group and kept its goal of 2, as /leave
    says — but heard no check-in. Erin (Tokyo, never in a group) is told that the goals
    she sees are defaults and how to get check-ins."""
    script = """\
/group-setup tz=Europe/Berlin outreach=2 interviews=0
:as bob
/settings tz=America/New_York
/leave
:as erin
:channel solo
/settings tz=Asia/Tokyo
/goal
:advance 5d
"""
    out = console(tmp_path / "p.db", script, "--now", "2026-10-19T10:00:00Z", "--user", "alice")
    assert "[DM @bob] == Midweek check-in ==" in out
    assert "[DM @bob] == Last call for this week ==" in out
    assert "These are the default goals. Set your own" in out
    assert "[DM @erin]" not in out
