"""Weekly plans when no Friday question comes (plans off, written after Friday), what
/mystats and the digest count, a shared plan reworded, and the Monday prompt of a group
that turned its rounds off — typed into the console (calendar of
tests/scenarios/test_console_partners.py: UTC, digests on Mondays 09:00 from 9 March 2026)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.scenarios.test_console_partners import run, setup

PROMISE = "On Friday I'll ask whether you kept it."
OFFER = "I won't ask on Friday"


def test_only_answered_plans_count_and_the_friday_promise_is_kept(tmp_path: Path) -> None:
    lines = [
        *setup(["ana", "ben", "cai", "dee"]),
        ":as ana",
        "/settings plans=off",
        '/plan text="Ana writes to two alumni"',  # Monday 2 March: no question will come
        ":press 2",  # Partly, right on the reply
        "/mystats",
        ":as ben",
        '/plan text="Ben prepares Thursday"',
        "/mystats",  # Monday: this week's plan is not counted yet
        ":advance 5d",  # Saturday 7 March 08:00: ben was asked on Friday at 09:00
        ":as ben",
        ":press 1 @ben",  # Kept
        "/mystats",
        ":as cai",
        '/plan text="Cai plans after Friday"',  # too late for the question
        ":as dee",
        "/pause weeks=1",
        '/plan text="Dee rests"',  # a paused week is never asked about
        ":advance 2d",
        ":advance 2h",  # Monday 9 March 10:00: the digest
        ":as cai",
        "/mystats",
    ]
    out = run(tmp_path, lines)
    replies = re.findall(r"== Plan saved ==\nYour plan for the week of .+\n(.+)", out)
    assert len(replies) == 4
    ana, ben, cai, dee = replies
    assert OFFER in dee and PROMISE not in dee
    assert OFFER in ana and PROMISE not in ana  # plans off
    assert PROMISE in ben and OFFER not in ben
    assert OFFER in cai and PROMISE not in cai  # Saturday: that Friday has passed
    assert "[1] Kept\n  [2] Partly\n  [3] Not this time" in out
    assert "Partly kept" in out
    stats = re.findall(r"Plans kept \(8 weeks\): (.+)", out)
    assert stats == ["0 of 1 answered", "none answered yet", "1 of 1 answered", "none answered yet"]
    digest = out.split("Weekly digest — week of Mon 2 Mar")[1]
    assert "Weekly plans: 4 plans made; 1 of 2 answered kept" in digest


def test_a_digest_with_no_plan_answered_says_so(tmp_path: Path) -> None:
    lines = [
        *setup(["ana"]),
        ":as ana",
        '/plan text="Ana writes to two alumni"',  # asked on Friday, never answered
        ":advance 7d",
        ":advance 2h",  # Monday 9 March 10:00: the digest
        "/mystats",
    ]
    out = run(tmp_path, lines)
    digest = out.split("Weekly digest — week of Mon 2 Mar")[1]
    assert "Weekly plans: 1 plan made; none answered yet" in digest
    assert "answered kept" not in out
    assert "Plans kept (8 weeks): none answered yet" in out


def test_a_shared_plan_reworded_is_posted_once_per_version(tmp_path: Path) -> None:
    lines = [
        *setup(["ana"]),
        ":as ana",
        '/plan text="First version" share=group',
        ":advance 1m",
        '/plan text="Second version" share=group',
        ":advance 1m",
        "/plan share=group",  # nothing new to post
        '/plan text="Third version"',  # not shared again: the channel keeps the second
        ":advance 1m",
    ]
    out = run(tmp_path, lines)
    posts = re.findall(r"^\[#cohort\] == ana's plan this week ==\n(.+)$", out, re.M)
    assert posts == ["First version", "Second version"]
    assert out.count("and it's posted in #cohort.") == 2
    assert "it's already posted in #cohort." in out
    assert "Your group's channel shows the version you shared; add share=group" in out


def test_a_shared_plan_reworded_before_its_post_goes_out_posts_the_shared_words(
    tmp_path: Path,
) -> None:
    lines = [
        *setup(["ana"]),
        ":as ana",
        '/plan text="Shared words" share=group',
        '/plan text="Private rewording"',  # before the outbox runs: the post keeps its words
        ":advance 1m",
        "/plan",
    ]
    out = run(tmp_path, lines)
    posts = re.findall(r"^\[#cohort\] == ana's plan this week ==\n(.+)$", out, re.M)
    assert posts == ["Shared words"]
    assert "Your group's channel shows the version you shared; add share=group" in out
    assert out.rstrip().endswith("Private rewording")  # the plan itself is the new words


def test_the_monday_prompt_is_dropped_once_rounds_are_off(tmp_path: Path) -> None:
    lines = [
        *setup(["ana", "ben"]),
        ":advance 7d",  # Monday 9 March 08:00: prompts are planned for 09:00
        ":as coach",
        "/group-setup partners=off",
        ":advance 3h",
        ":as ana",
        "/partners",
    ]
    out = run(tmp_path, lines)
    before, after = out.rsplit("== Group updated ==", 1)
    assert re.search(r"^\[DM @ana\] == What's your plan this week\? ==", before, re.M)  # 2 March
    assert "What's your plan this week?" not in after


def test_write_my_plan_is_its_members_and_partners_needs_a_group(tmp_path: Path) -> None:
    lines = [
        *setup(["ana", "ben"]),
        ":advance 7d",
        ":advance 2h",  # Monday 9 March: the plan prompts went out at 09:00
        ":as ben",
        ":press 1 @ana",  # ana's Write my plan
    ]
    out = run(tmp_path, lines)
    (tmp_path / "alone").mkdir()
    alone = run(tmp_path / "alone", [":as solo", "/partners on"])
    assert re.search(r"^\[DM @ana\] == What's your plan this week\? ==", out, re.M)
    assert "This button is for someone else." in out
    tail = alone.rsplit("== Partner rounds ==", 1)[1]
    assert "You're not in a group" in tail and "run /join" in tail
    assert "You're in" not in tail
