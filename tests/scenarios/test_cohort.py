"""Five weeks of a cohort, typed into the console, checked against numbers worked out by hand.

A group in Berlin (goals: 3 outreach and 1 interview a week) with four members on three
clocks: Ana (Berlin), Ben (New York), Cai (Kolkata) and Dee (no zone of her own: the
group's). It runs from Monday 2 March 2026 — New York moves to summer time on Sunday
8 March, Berlin on Sunday 29 March — to the digest of Monday 6 April. Each week the
members log on Tuesday at 12:00 UTC (Tuesday on every clock); two logs fall near a
week's edge: Ben's on Sunday 15 March at 23:30 in New York (already Monday in Berlin:
still his week 2) and Cai's on Monday 23 March at 01:00 in Kolkata (still Sunday in
Berlin: already her week 4, which she paused).

By hand, per member and week (outreach/interviews; ✓ every goal met):

    week of   2 Mar   9 Mar   16 Mar  23 Mar        30 Mar
    ana       3/1 ✓   3/1 ✓   2/0     3/1 ✓         1/0
    ben       3/1 ✓   3/1 ✓   3/1 ✓   3/1 ✓         3/1 ✓
    cai       1/0     3/1 ✓   3/1 ✓   1/0 (paused)  3/1 ✓
    dee       0/0     0/0     3/1 ✓   3/1 ✓         2/1

Every interview is with someone written to that same session, so each one turns a
request into "interviewed"; every thank-you is marked at once (on time) except Ana's of
24 March, never marked (overdue from 1 April). Referrals: Ana 1 + 1, Ben 1, Cai 2.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from bot.services.contacts import close, name_key
from tests.scenarios.console import console

WRITES: dict[str, list[list[str]]] = {  # per member, per session: who they write to
    "ana": [
        ["Avery Stone", "Blake Rivers", "Casey Moreno"],
        ["Drew Patel", "Eden Walsh", "Finley Grant"],
        ["Gray Okafor", "Harper Quinn"],
        ["Indigo Lopez", "Jules Tanaka", "Kai Brennan"],
        ["Lane Dubois"],
    ],
    "ben": [
        ["Olive Chen", "Parker Hayes", "Quinn Adler"],
        ["Reese Novak", "Sage Ibarra"],
        ["Uri Kaplan", "Vera Lindqvist", "Wren Osei"],
        ["Xander Pike", "Yael Cohen", "Zane Mercer"],
        ["Alma Reyes", "Bruno Falk", "Cleo Marsh"],
    ],
    "cai": [
        ["Esme Varga"],
        ["Felix Brandt", "Gia Romano", "Hugo Lam"],
        ["Iris Kowal", "Joel Amari", "Kira Sato"],
        [],
        ["Mila Petrov", "Nadia Rahman", "Oscar Lund"],
    ],
    "dee": [
        [],
        [],
        ["Sofia Berg", "Theo Nash", "Una Ferris"],
        ["Vik Rao", "Willa Dunn", "Xavi Soler"],
        ["Yuki Mori", "Zara Holt"],
    ],
}
REFERRALS = {
    ("ana", 0): "Mara Singh",
    ("ana", 1): "Nico Alvarez",
    ("ben", 0): "Dario Conti",
    ("cai", 1): "Paz Molina; Ravi Menon",
}
MET = {  # who holds an interview (with the first person written to) in which session
    "ana": {0, 1, 3},
    "ben": {0, 1, 2, 3, 4},
    "cai": {1, 2, 4},
    "dee": {2, 3, 4},
}
UNTHANKED = {("ana", 3)}
EDGES = {  # outside the Tuesday sessions: (after session, member, person)
    1: ("ben", "Tatum Ross"),  # Sunday 15 March, 23:30 in New York
    2: ("cai", "Leon Weiss"),  # Monday 23 March, 01:00 in Kolkata
}
# From one Tuesday at 12:00 UTC to the next, with the edge logs on the way.
STEPS = {
    0: [":advance 7d"],
    1: [":advance 5d", ":advance 930m", "EDGE", ":advance 1950m"],  # Mon 16 Mar 03:30 UTC
    2: [":advance 5d", ":advance 450m", "EDGE", ":advance 1d", ":advance 990m"],  # Sun 19:30
    3: [":advance 7d"],
    4: [":advance 5d", ":advance 1170m"],  # to Monday 6 April, 07:30 UTC
}


def session(member: str, week: int) -> list[str]:
    people = WRITES[member][week]
    lines = [f":as {member}", *(f'/outreach "{p}"' for p in people)]
    if week in MET[member]:
        referrals = REFERRALS.get((member, week))
        told = f' referrals="{referrals}"' if referrals else ""
        lines.append(f'/logged-interview "{people[0]}"{told}')
        if (member, week) not in UNTHANKED:
            lines.append(f'/thanked "{people[0]}"')
    return lines


def script() -> str:
    lines = [
        "/group-setup tz=Europe/Berlin outreach=3 interviews=1",
        "/settings leaderboard=off",
        ":as ana",
        "/settings tz=Europe/Berlin",
        ":as ben",
        "/settings tz=America/New_York",
        ":as cai",
        "/settings tz=Asia/Kolkata",
        ":as dee",
        "/goal",
        ":advance 28h",  # Tuesday 3 March, 12:00 UTC
    ]
    for week in range(5):
        for member in WRITES:
            lines += session(member, week)
        if week == 2:
            lines += [":as cai", "/pause weeks=1 from=2026-03-23"]
        for step in STEPS[week]:
            if step == "EDGE":
                member, person = EDGES[week]
                lines += [":now", f":as {member}", f'/outreach "{person}"']
            else:
                lines.append(step)
    lines += [":now"]
    for member in WRITES:
        lines += [f":as {member}", "/mystats"]
    lines += [":as coach", "/leaderboard view=streak"]
    return "\n".join(lines) + "\n"


DIGESTS = {
    "Mon 2 Mar": (
        "7 requests went out last week",
        "1. ana — 3 ✓\n1. ben — 3 ✓\n2. cai — 1\n3. dee — 0",
        "2 of 4 members met every goal",
        "7 outreach · 2 interviews · 2 thank-yous on time · 2 referrals collected",
        "ana — 1 week\nben — 1 week",
    ),
    "Mon 9 Mar": (
        "More than half of you met every goal.",
        "1. ana — 3 ✓\n1. ben — 3 ✓\n1. cai — 3 ✓\n2. dee — 0",
        "3 of 4 members met every goal",
        "9 outreach · 3 interviews · 3 thank-yous on time · 3 referrals collected",
        "ana — 2 weeks\nben — 2 weeks\ncai — 1 week",
    ),
    "Mon 16 Mar": (
        "More than half of you met every goal.",
        "1. ben — 3 ✓\n1. cai — 3 ✓\n1. dee — 3 ✓\n2. ana — 2",
        "3 of 4 members met every goal",
        "11 outreach · 3 interviews · 3 thank-yous on time · 0 referrals collected",
        "ben — 3 weeks\ncai — 2 weeks\ndee — 1 week",
    ),
    "Mon 23 Mar": (
        "Everyone met their goals last week.",
        "1. ana — 3 ✓\n1. ben — 3 ✓\n1. dee — 3 ✓\n2. cai — 1 (paused)",
        "3 of 3 members met every goal (1 on pause)",
        "10 outreach · 3 interviews · 2 thank-yous on time · 0 referrals collected",
        "ben — 4 weeks\ncai — 2 weeks\ndee — 2 weeks",
    ),
    "Mon 30 Mar": (
        "9 requests went out last week",
        "1. ben — 3 ✓\n1. cai — 3 ✓\n2. dee — 2\n3. ana — 1",
        "2 of 4 members met every goal",
        "9 outreach · 3 interviews · 3 thank-yous on time · 0 referrals collected",
        "ben — 5 weeks\ncai — 3 weeks",
    ),
}
STATS = {  # sent, held, referrals, streak, outreach → interview, thank-yous on time
    "ana": ("12", "3", "2", "0 weeks (longest 2 weeks)", "25% (3 of 12)", "67% (2 of 3)"),
    "ben": ("15", "5", "1", "5 weeks (longest 5 weeks)", "33% (5 of 15)", "100% (5 of 5)"),
    "cai": ("11", "3", "2", "3 weeks (longest 3 weeks)", "27% (3 of 11)", "100% (3 of 3)"),
    "dee": ("8", "3", "0", "0 weeks (longest 2 weeks)", "38% (3 of 8)", "100% (3 of 3)"),
}
STREAK_BOARD = (
    "1. ben — 5 weeks (longest 5 weeks)\n"
    "2. cai — 3 weeks (longest 3 weeks)\n"
    "3. ana — 0 weeks (longest 2 weeks)\n"
    "3. dee — 0 weeks (longest 2 weeks)"
)


def test_the_names_are_all_different_people() -> None:
    """No name in the story is close to another of the same member's: nothing in it
    stops for a "did you mean?"."""
    for member, weeks in WRITES.items():
        names = [name_key(p) for week in weeks for p in week]
        names += [
            name_key(n)
            for (m, _), found in REFERRALS.items()
            if m == member
            for n in found.split("; ")
        ]
        names += [name_key(p) for m, p in EDGES.values() if m == member]
        for a, b in itertools.combinations(names, 2):
            assert not close(a, b), (a, b)


def test_five_weeks_of_a_cohort_add_up(tmp_path: Path) -> None:
    out = console(
        tmp_path / "c.db",
        script(),
        "--now",
        "2026-03-02T08:00:00+00:00",
        "--channel",
        "cohort",
        "--user",
        "coach",
    )
    assert "That didn't work" not in out and "Which contact?" not in out
    assert re.findall(r"^\d{4}-\d\d-\d\dT[^\n]+", out, re.M) == [
        "2026-03-16T03:30:00+00:00",  # Ben's Sunday night
        "2026-03-22T19:30:00+00:00",  # Cai's Monday small hours
        "2026-04-06T07:30:00+00:00",  # the end
    ]
    for week, (opening, board, goals, totals, streaks) in DIGESTS.items():
        title = f"[#cohort] == Weekly digest — week of {week} =="
        assert out.count(title) == 1, week
        post = out[out.index(title) : out.index("Saved digest-", out.index(title))]
        assert opening in post, week
        assert f"Outreach last week:\n{board}\n" in post, week
        assert f"Goals: {goals}\n" in post, week
        assert f"Group totals: {totals}\n" in post, week
        assert f"Longest streaks:\n{streaks}\n" in post or (
            "\n" not in streaks and f"Longest streaks: {streaks}\n" in post
        ), week
    end = out[out.index("2026-04-06T07:30") :]
    found = re.findall(
        r"Outreach sent: (\d+)\nInterviews held: (\d+)\nReferrals collected: (\d+)\n"
        r"Streak: (.*)\nOutreach → interview: (.*)\nThank-yous on time: (.*)\n",
        end,
    )
    assert found == list(STATS.values())
    assert end.rstrip().endswith(STREAK_BOARD)
