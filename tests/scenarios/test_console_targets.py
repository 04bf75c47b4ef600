"""/targets typed into the real console: twelve employers ranked the LAMP way, advocacy
read from what is logged, near-duplicate names asked about."""

from __future__ import annotations

import re
from pathlib import Path

from tests.scenarios.console import console

NOW = "2026-11-18T10:00:00+00:00"  # a Wednesday

TWELVE = """\
/targets add company="Acme Inc." motivation=3 posting=yes
/targets add company=Globex motivation=3 posting=yes
/targets add company=Initech motivation=3
/targets add company=Umbrella motivation=3 posting=no
/targets add company=Hooli motivation=2 posting=yes
/targets add company=Stark motivation=2 posting=yes
/targets add company=Wayne motivation=2
/targets add company=Wonka motivation=2 posting=no
/targets add company=Cyberdyne motivation=1 posting=yes
/targets add company=Tyrell motivation=1
/targets add company=Soylent motivation=1 posting=no
/targets add company=Aperture motivation=1
"""


def ranking(out: str, occurrence: int) -> list[str]:
    """The employers of the ``occurrence``-th /targets list in ``out``, in order."""
    lists = out.split("== Your target employers (")[1:]
    lines = lists[occurrence].split("\n==")[0].splitlines()[1:]
    return [re.match(r"\d+\. (.+?) — ", line).group(1) for line in lines if line[:1].isdigit()]


def entry(out: str, occurrence: int, company: str) -> str:
    lists = out.split("== Your target employers (")[1:]
    return next(line for line in lists[occurrence].splitlines() if f". {company} — " in line)


def test_twelve_targets_ranked_motivation_then_posting_then_advocacy(tmp_path: Path) -> None:
    """Worked out by hand. Motivation 3: Acme and Globex post jobs (Acme first: an
    interview there makes it an advocate's; Globex has no one), then Initech (posting
    unknown), then Umbrella (no posting). Motivation 2, posting yes: Stark (an alumna
    there: a warm tie) above Hooli (a cold contact); then Wayne (unknown), Wonka (no),
    although Wonka has the strongest advocacy — motivation and posting come first.
    Motivation 1: Cyberdyne (posting yes, no one), then Tyrell (unknown, a colleague)
    above Aperture (unknown, a cold contact), then Soylent (no)."""
    script = (
        TWELVE
        + """\
/targets
/outreach "Sam Ray" company="STARK, Inc." how=alumni
/targets
/outreach "Hal Wu" company=hooli
/targets
/logged-interview "Hal Wu"
/targets
/outreach "Tim Orr" company=TYRELL how=colleague
/outreach "Al Poe" company="Aperture Labs"
/outreach "Di Fox" company=aperture
/logged-interview "Ann Lee" company="ACME" date=yesterday
/logged-interview "Bo Chen" company=Zeta referrals="Cy Dunn" date=yesterday
/outreach "Cy Dunn" company="Wonka."
/targets
"""
    )
    out = console(tmp_path / "p.db", script, "--now", NOW, "--user", "kenji", "--channel", "dm")
    # Nothing logged: within motivation and posting, by name.
    assert ranking(out, 0) == [
        "Acme Inc.",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Stark",
        "Wayne",
        "Wonka",
        "Cyberdyne",
        "Aperture",
        "Tyrell",
        "Soylent",
    ]
    assert "No contact yet: who do you know there?" in entry(out, 0, "Stark")
    # An alumna at "STARK, Inc." (the same employer as Stark): a warm tie, above Hooli.
    assert ranking(out, 1)[4:6] == ["Stark", "Hooli"]
    stark = entry(out, 1, "Stark")
    assert "advocacy: a warm tie" in stark
    assert "Outreach open to 1 person — 3B7 step on Mon 23 Nov." in stark
    # A cold contact at Hooli is less than a warm tie: Stark stays above.
    assert ranking(out, 2)[4:6] == ["Stark", "Hooli"]
    assert "advocacy: a contact" in entry(out, 2, "Hooli")
    # A conversation held at Hooli makes an advocate: Hooli passes Stark.
    assert ranking(out, 3)[4:6] == ["Hooli", "Stark"]
    hooli = entry(out, 3, "Hooli")
    assert "advocacy: an advocate" in hooli and "Interviewed once; thank-you pending." in hooli
    # "Aperture Labs" is another employer than Aperture; "aperture" is Aperture.
    assert ranking(out, 4) == [
        "Acme Inc.",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Stark",
        "Wayne",
        "Wonka",
        "Cyberdyne",
        "Tyrell",
        "Aperture",
        "Soylent",
    ]
    assert "advocacy: an advocate" in entry(out, 4, "Wonka")  # Cy was introduced by Bo
    assert "advocacy: a colleague" not in out
    assert "advocacy: a warm tie" in entry(out, 4, "Tyrell")
    assert "advocacy: a contact" in entry(out, 4, "Aperture")
    assert "advocacy: no one yet" in entry(out, 4, "Globex")


def test_near_duplicate_employers_are_asked_about(tmp_path: Path) -> None:
    """``ACME`` is ``Acme Inc.`` (refused as already listed); ``Acmee`` is only close, so
    the member is asked — "Yes" means Acme Inc., already listed and left as it is (a
    play-test found it silently edited); "No" adds Acmee anyway."""
    script = """\
/targets add company="Acme Inc." motivation=3 posting=yes
/targets add company="ACME" motivation=1
/targets add company=Acmee motivation=1
:press 1
/targets add company=Acmee motivation=1
:press 2
/targets
/targets edit company="acme, inc" posting=no
/targets remove company=Acme
/targets remove company=Acmey
:press 1
/targets
/targets remove company=Globex
"""
    out = console(tmp_path / "p.db", script, "--now", NOW, "--user", "kenji", "--channel", "dm")
    # Typed as ACME, and "Yes" to Acmee: both times already listed, nothing changed.
    assert out.count("Acme Inc. is already on your list; change it with /targets edit.") == 2
    assert out.count("Acmee is close to Acme Inc., already on your list.") == 2
    assert "motivation 1, posting yes" not in out
    assert "Added Acmee (motivation 1, posting unknown)." in out
    assert ranking(out, 0) == ["Acme Inc.", "Acmee"]
    assert "Acme Inc.: motivation 3, posting no." in out
    assert "Removed Acme Inc. from your targets." in out
    assert "Acmey is not on your list. Did you mean Acmee?" in out
    assert "Removed Acmee from your targets." in out
    assert "No targets yet." in out
    assert "Globex is not on your list of targets." in out


def test_the_weekly_top_target_skips_employers_with_open_outreach(tmp_path: Path) -> None:
    """Monday at the reminder hour: Acme ranks first but Jane there has a request open,
    so Globex is suggested; after /settings targets=off, the next Monday brings none."""
    script = """\
/targets add company=Acme motivation=3 posting=yes
/targets add company=Globex motivation=2
/outreach "Jane Doe" company=Acme
:advance 5d
/settings targets=off
:advance 7d
"""
    out = console(tmp_path / "p.db", script, "--now", NOW, "--user", "kenji", "--channel", "dm")
    suggestion = "This week's top target: Globex is the top of your /targets list"
    assert out.count(suggestion) == 1
    assert "no outreach open — no contact there yet" in out
    assert "Weekly top target (targets): off" in out
    assert "Acme is the top" not in out
