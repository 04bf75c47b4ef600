"""Partner rounds when things change mid-round: the cadence, a member leaving (and coming
back), old check-in buttons pressed late — typed into the console over simulated weeks
(same calendar as tests/scenarios/test_console_partners.py: digests on Mondays 09:00 UTC
from 9 March 2026)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tests.scenarios.test_console_partners import rounds, run, setup, teams


def quiet(members: list[str]) -> list[str]:
    """No plan prompts, so a member's last DM with buttons is their check-in."""
    return [line for m in members for line in (f":as {m}", "/settings plans=off")]


def test_a_cadence_change_waits_for_the_running_round_to_end(tmp_path: Path) -> None:
    members = ["ana", "ben", "cai", "dee"]
    lines = [
        *setup(members, cadence="fortnightly"),
        ":advance 7d",
        ":advance 2h",  # Monday 9 March 11:00: a fortnight's round runs until 23 March
        ":as coach",
        "/group-setup partners=weekly",
        ":advance 14d",  # past the digests of 16 and 23 March
        ":as ana",
        "/partners",
    ]
    out = run(tmp_path, lines)
    found = rounds(out)
    assert len(found) == 2, out  # 9 March and 23 March: none on 16 March
    for partners in found:
        assert sum(len(t) for t in teams(partners)) == len(members)  # nobody in two teams
    digests = out.split("Weekly digest — week of ")
    on_16 = next(d for d in digests if d.startswith("Mon 9 Mar"))
    on_23 = next(d for d in digests if d.startswith("Mon 16 Mar"))
    assert "Partner check-ins" not in on_16  # the round still ran
    assert "Partner check-ins: 0 of 2 pairs checked in" in on_23
    assert "until Mon 30 Mar" in on_23  # the next round is weekly
    assert out.rsplit("== Your partners ==", 1)[1].count(", until ") == 1


def test_a_member_leaving_changes_the_count_the_buttons_and_not_the_history(
    tmp_path: Path,
) -> None:
    members = ["ana", "ben", "cai", "dee", "eve", "fay"]
    others = members[1:]
    lines = [
        *setup(members),
        *quiet(members),
        ":advance 7d",
        ":advance 4d",  # Thursday 12 March 10:00: everyone was asked at 09:00
    ]
    lines += [line for m in others for line in (f":as {m}", ":press 1 @" + m)]  # checked in
    lines += [":as ana", "/leave", "/join", ":advance 1m"]
    lines += [line for m in others for line in (f":as {m}", ":press 2 @" + m)]  # old buttons
    lines += [":advance 4d", ":as ben", ":press 2 @ben", ":advance 14d"]
    out = run(tmp_path, lines)
    first, *later = rounds(out)
    (alone,) = first["ana"]
    # The moved member's "round changed" DM asks about the new team (their press there
    # records); the pair's presses on old buttons record nothing, name the partners of
    # now and offer the same question about them.
    assert re.search(
        r"you're with @\w+ and @\w+\. Have you and \w+ and \w+ checked in\?"
        r"(?:\n.*)*?\n  \[1\] We checked in with \w+ and \w+",
        out,
    )
    changed = re.findall(r"Your team changed since that message: you're now with ([\w, ]+)\.", out)
    assert len(changed) == 2  # the pair the moved member joined
    assert re.search(r"Nothing is recorded; have you and \w+, \w+ checked in\?\n  \[1\]", out)
    # The digest counts the teams as they stand — the trio (its pair's presses stand, the
    # moved member's answer was about their old team) and the pair that said "Not yet"
    # last — never the team ana left, and a trio makes them "teams".
    digest = out.split("Weekly digest — week of Mon 9 Mar")[1]
    assert "Partner check-ins: 1 of 2 teams checked in" in digest
    # A button from the ended round says so.
    assert "That round ended on Mon 16 Mar: nothing is recorded now." in out
    # Leaving and re-joining keeps whom ana was with: not again within three rounds.
    for partners in later[:3]:
        assert alone not in partners.get("ana", set()), later
    seen = {frozenset(p) for t in teams(first) for p in itertools.combinations(t, 2)}
    assert frozenset({"ana", alone}) in seen


def test_partners_says_which_group_and_why_a_member_sits_out(tmp_path: Path) -> None:
    lines = [
        *setup(["ana", "ben", "cai"]),
        ":as cai",
        "/settings reminders=off",
        ":channel other",
        ":as coach",
        "/group-setup tz=UTC digest-day=monday digest-hour=9 partners=weekly",
        ":as ana",
        "/join",
        ":as dee",
        "/join",
        "/partners on",
        ":channel cohort",
        ":advance 7d",
        ":advance 2h",  # Monday 9 March 11:00: a round in each group
        ":as ana",
        "/partners",
        ":as cai",
        "/partners",
        ":as coach",
        "/group-setup partners=off",
        ":advance 7d",  # the cohort's round has ended
        ":as ben",
        "/partners",
    ]
    out = run(tmp_path, lines)
    # Both rounds' DMs, in one message: each names its group's channel.
    to_ana = re.findall(r"^Your partner this round: (In #.+)$", out, re.M)
    assert sorted(to_ana)[:2] == [
        "In #cohort: you're paired with @ben until Mon 16 Mar. Check in on each other this "
        "round: how the outreach goes, what's next. /partners shows this again.",
        "In #other: you're paired with @dee until Mon 16 Mar. Check in on each other this "
        "round: how the outreach goes, what's next. /partners shows this again.",
    ]
    mine = out.split("== Your partners ==")[1]
    assert "#cohort, until Mon 16 Mar: ben" in mine and "#other, until Mon 16 Mar: dee" in mine
    assert (
        "You sit this round out: your DM reminders are off (/settings reminders=on takes you "
        "into the next one); the next one starts Mon 16 Mar." in out
    )
    last = out.rsplit("== Partner rounds ==", 1)[1]
    assert "Your group's partner rounds are off; an admin turns them back on" in last
    assert "yet" not in last


def test_a_round_quotes_only_this_weeks_plan(tmp_path: Path) -> None:
    lines = [
        *setup(["ana", "ben"], cadence="fortnightly"),
        ":as ana",
        '/plan text="Last week words"',  # Monday 2 March: her plan for that week
        ":advance 7d",
        ":advance 2h",  # Monday 9 March: the round, and no plan of hers for this week
    ]
    out = run(tmp_path, lines)
    to_ben = out.split("[DM @ben] == Your partner this round ==")[1].split("[DM")[0]
    assert "Last week words" not in to_ben and "Suggested opener" not in to_ben
    assert "Check in on each other this round" in to_ben  # a fortnight is not "this week"


def test_a_team_changed_after_its_check_in_can_still_answer(tmp_path: Path) -> None:
    members = ["ana", "ben", "cai"]
    lines = [
        *setup(members, size=3),
        *quiet(members),
        ":advance 7d",
        ":advance 4d",  # Thursday 12 March 10:00: the trio was asked at 09:00
        ":as ben",
        "/forget-me confirm=yes",
        ":advance 1m",
        ":as ana",
        ":press 1 @ana",  # on the "round changed" DM: checked in with cai
        ":advance 4d",  # Monday 16 March 10:00: the digest
    ]
    out = run(tmp_path, lines)
    changed = out.split("[DM @ana] == Your round changed ==", 1)[1]
    assert "For the rest of this round you're with @cai. Have you and cai checked in?" in changed
    assert "  [1] We checked in with cai" in changed
    assert "Nothing is recorded" not in out
    digest = out.split("Weekly digest — week of Mon 9 Mar")[1]
    assert "Partner check-ins: 1 of 1 pair checked in" in digest
