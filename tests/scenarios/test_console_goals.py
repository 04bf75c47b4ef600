"""A console story: three members over three simulated weeks, driven through ``peerpath console``.

The script is piped into the real CLI in a subprocess, as a person would; the
transcript shows the leaderboards, the streaks and where the digest chart went.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = """
/group-setup tz=Europe/Berlin outreach=2 interviews=0
/settings leaderboard=off
# week 1: ann and ben meet the goal, cid does not
:as ann
/outreach A1
/outreach A2
:as ben
/outreach B1
/outreach B2
:as cid
/outreach C1
:advance 7d
# week 2: ben misses it
:as ann
/outreach A3
/outreach A4
:as ben
/outreach B3
:as cid
/outreach C2
/outreach C3
:advance 7d
# week 3: everyone meets it
:as ann
/outreach A5
/outreach A6
:as ben
/outreach B4
/outreach B5
:as cid
/outreach C4
/outreach C5
/leaderboard
/leaderboard view=streak
:as coach
/digest
"""


def test_three_members_three_weeks(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PEERPATH_EXPORT_DIR": str(tmp_path / "exports"),
        "PEERPATH_LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "console",
            "--db",
            f"sqlite:///{tmp_path / 'story.db'}",
            "--user",
            "coach",
            "--channel",
            "cohort",
            "--now",
            "2026-11-16T08:00:00+00:00",
        ],
        input=SCRIPT,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    out = result.stdout
    assert "== Group created ==" in out, out
    assert (
        "== This week's outreach (✓ = every goal met) ==\n"
        "1. ann — 2 ✓\n1. ben — 2 ✓\n1. cid — 2 ✓\n"
    ) in out, out
    assert (
        "== Streaks: weeks in a row with every goal met ==\n"
        "1. ann — 3 weeks (longest 3 weeks)\n"
        "2. cid — 2 weeks (longest 2 weeks)\n"
        "3. ben — 1 week (longest 1 week)\n"
    ) in out, out
    assert "== Weekly digest — week of Mon 23 Nov ==" in out
    assert "1. ann — 2 ✓\n1. cid — 2 ✓\n2. ben — 1" in out
    saved = re.search(r"Saved (digest-\S+\.png) to (.+)$", out, re.MULTILINE)
    assert saved is not None, out
    png = Path(saved.group(2))
    assert png.parent == tmp_path / "exports"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    digests = digest_blocks(out)
    assert len(digests) >= 3  # posted on each digest day, and by /digest
    assert all("coach" not in block for block in digests)  # coach opted out of boards


def digest_blocks(out: str) -> list[str]:
    """Each digest in the transcript, from its title to the next message."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in out.splitlines():
        if "== Weekly digest" in line:
            current = [line]
            blocks.append(current)
        elif line.startswith(("[", "== ", "Saved ")):
            current = None
        elif current is not None:
            current.append(line)
    return ["\n".join(block) for block in blocks]
