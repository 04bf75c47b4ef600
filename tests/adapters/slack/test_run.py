"""``peerpath run`` with SLACK_BOT_TOKEN set serves Slack until it is told to stop."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests.fakes.slack_requests import SlackSide, run_env
from tests.fakes.slack_web_api import CLIENT_ID, CLIENT_SECRET, FakeSlack

READY = re.compile(rb"health on 127\.0\.0\.1:(\d+)")


@asynccontextmanager
async def running(env: dict[str, str], cwd: Path) -> AsyncIterator[int]:
    """``peerpath run`` as its own process: the port it serves on once it says so; on the
    way out, SIGTERM and a clean exit."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        port = None
        while port is None:
            line = await asyncio.wait_for(process.stderr.readline(), 20)
            assert line, "peerpath run exited before serving Slack"
            match = READY.search(line)
            port = match and int(match.group(1))
        yield port
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0


async def test_peerpath_run_serves_slack_until_sigterm(fake: FakeSlack, tmp_path: Path) -> None:
    env = run_env(fake, f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}")
    async with running(env, tmp_path) as port:
        slack = SlackSide(fake, f"http://127.0.0.1:{port}/slack/events")
        sent = await slack.command("prep", "UX research")
        assert sent.status == 200
        [reply] = await fake.wait_for("response_url")
        assert "UX research" in reply.params["blocks"][0]["text"]["text"]


async def test_peerpath_run_with_oauth_serves_the_install_link(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """Add to Slack needs no bot token: the install link leads to Slack's consent page,
    with a one-time state stored in peerpath's own database."""
    env = run_env(fake, f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}")
    del env["SLACK_BOT_TOKEN"]
    env |= {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    async with running(env, tmp_path) as port:
        async with (
            aiohttp.ClientSession() as browser,
            browser.get(f"http://127.0.0.1:{port}/slack/install", allow_redirects=False) as page,
        ):
            assert page.status == 302
            consent = page.headers["Location"]
        assert consent.startswith(f"{fake.base}/oauth/v2/authorize?")
        assert f"client_id={CLIENT_ID}" in consent and "state=" in consent
        assert fake.called("auth.test") == []  # no token of its own to check
