"""``peerpath run`` with SLACK_BOT_TOKEN set serves Slack until it is told to stop."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

from tests.fakes.slack_requests import SlackSide, run_env
from tests.fakes.slack_web_api import FakeSlack

READY = re.compile(rb"health on 127\.0\.0\.1:(\d+)")


async def test_peerpath_run_serves_slack_until_sigterm(fake: FakeSlack, tmp_path: Path) -> None:
    env = run_env(fake, f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        port = None
        while port is None:
            line = await asyncio.wait_for(process.stderr.readline(), 20)
            assert line, "peerpath run exited before serving Slack"
            match = READY.search(line)
            port = match and int(match.group(1))
        slack = SlackSide(fake, f"http://127.0.0.1:{port}/slack/events")
        sent = await slack.command("prep", "UX research")
        assert sent.status == 200
        [reply] = await fake.wait_for("response_url")
        assert "UX research" in reply.params["blocks"][0]["text"]["text"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
