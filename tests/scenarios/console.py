"""Drive the real ``peerpath console`` with a script, as a user would from a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def console(db: Path, script: str, *args: str, cwd: Path | None = None) -> str:
    """Pipe ``script`` into ``peerpath console`` and return what it printed."""
    env = {**os.environ, "PEERPATH_LOG_LEVEL": "WARNING", "PEERPATH_EXPORT_DIR": str(db.parent)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--db", f"sqlite:///{db}", *args],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or db.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout
