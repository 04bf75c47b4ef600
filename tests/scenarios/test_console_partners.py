"""Partner rounds and weekly plans over simulated weeks, typed into the console.

Each group lives in UTC with its digest on Mondays at 09:00; the console starts on Monday
2 March 2026 at 08:00, so the first round starts on Monday 9 March at 09:00 and one more
each Monday after. A round's DMs start with the partners' mentions (the console prints
them as ``@name``), which is what these tests read.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from tests.scenarios.console import console

START = "2026-03-02T08:00:00+00:00"
ROUND_DM = re.compile(
    r"^\[DM @(\w+)\] == Your partners? this round ==\nIn #\w+: you're paired with (.+?) until ",
    re.M,
)
DIGEST = re.compile(r"^\[#cohort\] == Weekly digest — week of (.+?) ==$", re.M)


def setup(members: list[str], size: int = 2, cadence: str = "weekly") -> list[str]:
    lines = [
        ":as coach",
        "/settings reminders=off",  # the admin runs the group and takes no part
        f"/group-setup tz=UTC digest-day=monday digest-hour=9 partners={cadence} "
        f"partner-size={size}",
    ]
    for member in members:
        lines += [f":as {member}", "/join", "/partners on"]
    return lines


def run(tmp_path: Path, lines: list[str]) -> str:
    return console(
        tmp_path / "p.db",
        "\n".join(lines) + "\n",
        "--now",
        START,
        "--channel",
        "cohort",
        "--user",
        "coach",
    )


def rounds(out: str) -> list[dict[str, set[str]]]:
    """Each round's partners per member, in the order the rounds went out: a round is the
    run of round DMs after a digest post."""
    found: list[dict[str, set[str]]] = []
    for chunk in DIGEST.split(out)[2::2]:  # what follows each digest's title
        partners = {
            who: set(re.findall(r"@(\w+)", mentions)) for who, mentions in ROUND_DM.findall(chunk)
        }
        if partners:
            found.append(partners)
    return found


def teams(partners: dict[str, set[str]]) -> set[frozenset[str]]:
    return {frozenset({who, *others}) for who, others in partners.items()}


@pytest.mark.parametrize(
    ("count", "size", "expected"),
    [
        (2, 2, [2]),
        (3, 2, [3]),
        (5, 2, [2, 3]),
        (8, 2, [2, 2, 2, 2]),
        (2, 3, [2]),
        (3, 3, [3]),
        (5, 3, [2, 3]),
        (8, 3, [2, 3, 3]),
    ],
)
def test_rounds_match_everyone_once_in_teams_of_the_groups_size(
    tmp_path: Path, count: int, size: int, expected: list[int]
) -> None:
    members = [f"m{n}" for n in range(1, count + 1)]
    out = run(tmp_path, [*setup(members, size), ":advance 29d", ":as m1", "/partners"])
    found = rounds(out)
    assert len(found) == 4, out  # Mondays 9, 16, 23 and 30 March
    for partners in found:
        assert set(partners) == set(members)  # one DM each, everybody matched
        made = teams(partners)
        assert sorted(len(t) for t in made) == expected
        assert sum(len(t) for t in made) == count  # nobody twice
        for who, others in partners.items():
            assert who not in others
    if count == 8:  # enough choice: no one meets a partner of the last 3 rounds again
        seen = [
            {frozenset(p) for t in teams(r) for p in itertools.combinations(t, 2)} for r in found
        ]
        for n in range(1, len(seen)):
            assert not seen[n] & set().union(*seen[max(0, n - 3) : n]), n
    assert "#cohort, until Mon 6 Apr: " in out.rsplit("== Your partners ==", 1)[1]  # /partners


def test_fortnightly_rounds_last_two_weeks(tmp_path: Path) -> None:
    out = run(tmp_path, [*setup(["ana", "ben"], cadence="fortnightly"), ":advance 29d"])
    assert len(rounds(out)) == 2  # 9 and 23 March


def test_opted_out_paused_and_quiet_members_sit_a_round_out(tmp_path: Path) -> None:
    members = ["ana", "ben", "cai", "dee", "eve"]
    lines = [
        *setup(members),
        ":advance 7d",  # Monday 9 March, 08:00: round 1 at 09:00 has all five
        ":advance 2h",
        ":as cai",
        "/partners off",
        ":as dee",
        "/pause weeks=1 from=2026-03-16",
        ":as eve",
        "/settings reminders=off",
        ":advance 7d",  # round 2: only ana and ben
        ":as cai",
        "/partners",
    ]
    out = run(tmp_path, lines)
    first, second = rounds(out)
    assert set(first) == set(members)
    assert second == {"ana": {"ben"}, "ben": {"ana"}}
    assert "You're out from the next round on. This round's partners stay yours" in out
    assert "Partner rounds: you're out (off)." in out


def test_a_member_leaving_mid_round_is_replaced_for_their_partner(tmp_path: Path) -> None:
    members = ["ana", "ben", "cai", "dee"]
    lines = [
        *setup(members),
        ":advance 7d",
        ":advance 2h",  # Monday 9 March 10:00: two pairs
        ":as ana",
        "/leave",
        ":advance 1h",
        ":as ana",
        "/partners",
        ":advance 3d",  # the check-ins, Thursday 12 March
    ]
    out = run(tmp_path, lines)
    (first,) = rounds(out)
    (alone,) = first["ana"]
    others = set(members) - {"ana", alone}
    changed = re.findall(r"^\[DM @(\w+)\] == Your round changed ==\n(.+)$", out, re.M)
    assert {who for who, _ in changed} == {alone, *others}  # told: their team changed
    for who, text in changed:
        mentions = text.split("you're with ", 1)[1]
        assert set(re.findall(r"@(\w+)", mentions)) == {alone, *others} - {who}
        assert "ana left the group." in text
    # The leaver has no partner any more; the check-ins ask about the partners of now.
    assert "You're not in a group" in out.rsplit("== Partner rounds ==", 1)[1]
    assert not re.search(r"^\[DM @ana\] == Checked in", out, re.M)
    trio = sorted(others)
    assert re.search(rf"^\[DM @{alone}\] == Checked in with {trio[0]} and {trio[1]}\?", out, re.M)


def test_check_ins_pressed_and_unpressed_reach_the_next_digest(tmp_path: Path) -> None:
    members = ["ana", "ben", "cai", "dee"]
    lines = [
        *setup(members),
        ":advance 7d",
        ":advance 4d",  # past the check-in on Thursday 12 March at 09:00
        ":as ben",
        ":press 1 @ana",  # ana's button: refused
        ":as ana",
        ":press 1 @ana",  # We checked in
        ":advance 5d",  # to the digest of Monday 16 March
    ]
    out = run(tmp_path, lines)
    asked = re.findall(r"^\[DM @(\w+)\] == Checked in with (\w+)\? ==", out, re.M)
    assert {who for who, _ in asked} == set(members)
    assert "This button is for someone else." in out
    partner = dict(asked)["ana"]
    assert f"Noted: you checked in with {partner}. Well done." in out
    digest = out.split("Weekly digest — week of Mon 9 Mar")[1]
    assert "Partner check-ins: 1 of 2 pairs checked in" in digest
    # Labels name the partner; nobody who answered is asked again.
    assert re.search(rf"\[1\] We checked in with {partner}\n  \[2\] Not yet: {partner}", out)


def test_plans_are_made_shared_kept_and_counted(tmp_path: Path) -> None:
    plan = "Write to 3 people in fintech <@U1> **now**"
    lines = [
        *setup(["ana", "ben"]),
        ":as ben",
        "/settings plans=off",
        ":advance 7d",  # Monday 9 March 08:00
        ":as ana",
        f'/plan text="{plan}" share=group',
        "/plan",
        ":advance 4d",  # Friday 13 March 08:00: the last call is at 09:00
        ":advance 2h",
        ":press 1 @ana",  # Kept
        ":advance 3d",  # Monday 16 March 09:00: the digest
        "/mystats",
        "/export",
        ":press 1 @ana",  # Write my plan, on Monday 16 March's prompt (a form on platforms)
    ]
    out = run(tmp_path, lines)
    [exported] = tmp_path.glob("*.csv")
    assert f"plan,2026-03-09,,,,,,,kept,,,,,{plan}" in exported.read_text()  # hers to keep
    assert f"[#cohort] == ana's plan this week ==\n{plan}" in out
    round_dm = out.split("[DM @ben] == Your partner this round ==")[1].split("[DM")[0]
    assert f"Their plan: {plan}" in round_dm
    assert f"Suggested opener: Ask ana how their plan is going: “{plan}”" in round_dm
    assert "Did you keep your plan?: Your plan this week: " + plan in out or (
        "== Did you keep your plan? ==\nYour plan this week: " + plan in out
    )
    assert "Kept — well done." in out
    assert "Weekly plans: 1 plan made, 1 kept" in out.split("digest — week of Mon 9 Mar")[1]
    assert "Plans kept (8 weeks): 1 of 1 answered" in out
    assert "== Your plan this week ==\nType it with /plan text=" in out
    # plans=off: ben is never asked; ana is, on her Mondays, until she wrote one.
    assert not re.search(r"^\[DM @ben\] == What's your plan", out, re.M)
    assert re.search(r"^\[DM @ana\] == What's your plan this week\? ==", out, re.M)


def test_a_plan_needs_words_and_rounds_need_a_group(tmp_path: Path) -> None:
    long = "x" * 501
    lines = [":as solo", "/partners on", f'/plan text="{long}"', "/plan", "/plan share=group"]
    out = run(tmp_path, lines)
    assert "You're not in a group" in out
    assert "there is no channel to share your plan in" in out
    assert "at most 500" in out and "nothing was saved" in out
    assert "No plan yet for the week of Mon 2 Mar" in out


def test_a_plan_is_asked_about_without_partner_rounds_and_not_when_turned_off(
    tmp_path: Path,
) -> None:
    lines = [
        ":as coach",
        "/group-setup tz=Asia/Kolkata",  # no partner rounds: no Monday prompt
        ":as ana",
        "/settings tz=America/New_York hour=18",
        '/plan text="Two coffee chats"',
        ":as ben",
        "/settings plans=off",
        '/plan text="Finish my list"',
        ":advance 5d",  # past Friday 6 March, 18:00 in New York
    ]
    out = run(tmp_path, lines)
    asked = re.findall(r"^\[DM @(\w+)\] (?:== Did you keep your plan\?|== \d reminders)", out, re.M)
    assert asked.count("ana") == 1 and "ben" not in asked
    assert "Did you keep your plan?" in out.split("[DM @ana]")[-1]
    assert "What's your plan this week?" not in out


def test_a_partner_who_deletes_their_data_mid_round_is_replaced_too(tmp_path: Path) -> None:
    members = ["ana", "ben", "cai", "dee"]
    lines = [*setup(members), ":advance 7d", ":advance 2h", ":as ana", "/forget-me confirm=yes"]
    lines += [":advance 1h"]
    out = run(tmp_path, lines)
    (first,) = rounds(out)
    (alone,) = first["ana"]
    changed = re.findall(r"^\[DM @(\w+)\] == Your round changed ==\n(.+)$", out, re.M)
    assert {who for who, _ in changed} == set(members) - {"ana"}
    assert all(
        text.startswith("In #cohort: For the rest of this round you're with") for _, text in changed
    )
    assert not any("ana" in text for _, text in changed)  # nothing of hers is left to show
    assert alone in {who for who, _ in changed}


def test_rounds_hold_across_restarts(tmp_path: Path) -> None:
    """The process stops after the round started and starts again days later: the same
    partners, each check-in once, no second round or round DM."""
    db = tmp_path / "p.db"
    members = ["ana", "ben", "cai", "dee"]
    script = "\n".join([*setup(members), ":advance 7d", ":advance 2h"]) + "\n"
    before = console(db, script, "--now", START, "--channel", "cohort", "--user", "coach")
    (first,) = rounds(before)
    later = "2026-03-13T12:00:00+00:00"  # Friday: the check-ins (Thursday) fell due meanwhile
    after = console(db, ":as ana\n/partners\n", "--now", later, "--channel", "cohort")
    # Each alone or with Friday's last call in one message ("2 reminders").
    asked = re.findall(r"^\[DM @(\w+)\] [^\[]*?Checked in with (\w+)\?", after, re.M)
    assert sorted(asked) == sorted((who, next(iter(p))) for who, p in first.items())
    assert "== Your partner this round ==" not in after
    (partner,) = first["ana"]
    assert f"#cohort, until Mon 16 Mar: {partner}" in after
