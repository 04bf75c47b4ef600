"""/import typed into the real console with files made here: a LinkedIn export with its
notes before the header, quoted commas, empty companies and non-ASCII names; a plain
CSV; malformed and oversized files refused naming the problem, nothing imported."""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.console import console

NOW = "2026-11-18T10:00:00+00:00"
LINKEDIN_NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address using this setting, as explained."\n'
    "\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def connections(path: Path) -> Path:
    path.write_text(
        LINKEDIN_NOTES
        + HEADER
        + 'Jane,Doe,https://www.linkedin.com/in/jane,,"Acme, Inc.",Product Manager,12 Nov 2025\n'
        + 'Zoë,Ångström,https://www.linkedin.com/in/zoe,zoe@example.com,,"Engineer, Platform",'
        "01 Jan 2024\n"
        + "Søren,Kierkegaard,https://www.linkedin.com/in/soren,,Globex,,03 Feb 2023\n"
        + ",,https://www.linkedin.com/in/hidden,,Hooli,,03 Feb 2023\n"
        + "JANE,doe,https://www.linkedin.com/in/jane2,,Acme,PM,12 Nov 2025\n"
        + "李,小龙,https://www.linkedin.com/in/li,,Stark Industries,Actor,03 Feb 2023\n",
        encoding="utf-8",
    )
    return path


def test_a_linkedin_export_previewed_then_imported_feeds_advocacy(tmp_path: Path) -> None:
    """Six rows: Jane (at "Acme, Inc.", the target Acme), Zoë (no company), Søren (already
    a contact: logged outreach), a row with no name, Jane again, and 李小龙. The preview
    says 3 new and why 3 are left out; Cancel imports nothing; Import adds them in one
    go, after which Acme's advocacy is "a contact" — and the week's outreach is still 1."""
    export = connections(tmp_path / "Connections.csv")
    script = f"""\
/targets add company=Acme motivation=3 posting=yes
/outreach "Søren Kierkegaard" company=Globex
/import {export}
:press 2
/targets
/import file="{export}"
:press 1
/targets
/goal
/import {export}
"""
    out = console(tmp_path / "p.db", script, "--now", NOW, "--user", "kenji", "--channel", "dm")
    preview = (
        "Connections.csv: 3 new contacts to add. They help rank your /targets; none counts "
        "as outreach until you reach out."
    )
    assert out.count(preview) == 2
    assert "For example: Jane Doe (Acme, Inc.), Zoë Ångström, 李 小龙 (Stark Industries)" in out
    assert "Left out (3): 1 already your contacts, 1 no name, 1 repeated in the file" in out
    assert "== Import cancelled ==\nNothing was imported." in out
    lists = out.split("== Your target employers (1) ==")
    assert "advocacy: no one yet" in lists[1].split("==")[0]
    assert "Added 3 contacts from Connections.csv." in out
    assert (
        "1. Acme — motivation 3, posting yes, advocacy: a contact. Next: Reach out to Jane Doe."
        in out
    )
    assert "1/5 outreach" in out  # imported contacts are not outreach
    assert "Left out (6): 5 already your contacts, 1 no name" in out


def test_a_plain_csv_with_how_known(tmp_path: Path) -> None:
    plain = tmp_path / "people.csv"
    plain.write_text(
        "name,company,role,how-known\n"
        "Ann Wu,Initech,Designer,alumni\n"
        "Bo Li,,Recruiter,\n"
        "Cy Orr,Initech,Engineer,somebody\n",
        encoding="utf-8",
    )
    script = f"""\
/targets add company=INITECH motivation=2
/import {plain}
:press 1
/targets
"""
    out = console(tmp_path / "p.db", script, "--now", NOW, "--user", "kenji", "--channel", "dm")
    assert "people.csv: 3 new contacts to add." in out
    assert "Added 3 contacts from people.csv." in out
    assert "advocacy: a warm tie" in out  # Ann is an alumna at Initech
    assert "Reach out to Ann Wu (1 more there not asked yet)." in out


def test_malformed_and_oversized_files_are_refused_naming_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "Connections.csv"
    broken.write_text(
        LINKEDIN_NOTES
        + HEADER
        + "Jane,Doe,https://x,,Acme,PM,12 Nov 2025\n"
        + 'Bob,Lee,https://y,,"Acme, Inc,PM,12 Nov 2025\n'
        + "Cy,Orr,https://z,,Globex,PM,12 Nov 2025\n",
        encoding="utf-8",
    )
    short = tmp_path / "short.csv"
    short.write_text(HEADER + "Jane,Doe,https://x,,Acme,PM\nBob,Lee,https://y\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_text(
        "name,company\n" + "".join(f"Person {n},Acme\n" for n in range(30_001)), encoding="utf-8"
    )
    headless = tmp_path / "numbers.csv"
    headless.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    script = f"""\
/import {broken}
/import {short}
/import {big}
/import {headless}
/targets add company=Acme
/targets
"""
    out = console(tmp_path / "p.db", script, "--now", NOW, "--user", "kenji", "--channel", "dm")
    assert "Line 6 can't be read as CSV" in out  # Bob's line opens a quote it never closes
    assert "Line 3 has 3 columns where the header has at least 6" in out
    assert "That file has more than 30,000 rows; split it and import each part." in out
    assert "I couldn't find a header line" in out
    assert "Import preview" not in out
    assert "advocacy: no one yet" in out  # nothing was imported
