"""At DEBUG, with Slack and Discord both served, the logs carry none of what members wrote:
no note, contact name or company, and no live response_url — not in peerpath's own lines,
nor in bolt's, slack_sdk's, discord.py's, SQLAlchemy's or the drivers' (a signed request
refused for its age included: bolt used to log its whole body)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlencode

from tests.adapters.discord.support import slash
from tests.fakes.discord_api import GUILD_ID, FakeDiscord
from tests.fakes.slack_requests import SlackSide, new_trigger
from tests.fakes.slack_web_api import FakeSlack
from tests.ops.conftest import Database
from tests.ops.processes import Process, slack_env

NOTE = "zq-note-secret-7781"
CONTACT = "Zelda Quartzwhistle"
COMPANY = "Quuxcorp"


async def test_debug_logs_keep_notes_contacts_and_response_urls_out(
    database: Database, tmp_path: Path
) -> None:
    slack_fake, discord_fake = FakeSlack(), FakeDiscord()
    await slack_fake.start()
    await discord_fake.start()
    env = slack_env(
        slack_fake,
        database.url,
        PEERPATH_LOG_LEVEL="DEBUG",
        DISCORD_TOKEN="test-token",
        DISCORD_GUILD_ID=str(GUILD_ID),
        DISCORD_API_URL=discord_fake.api_url,
        DISCORD_GATEWAY_URL=discord_fake.gateway_url,
        **database.env,
    )
    process = Process("run", env=env, cwd=tmp_path)
    await process.start()
    urls = []
    try:
        await process.ready("discord")
        await process.logged("slack adapter ready")
        slack = SlackSide(slack_fake, f"{process.base}/slack/events")
        line = f'"{CONTACT}" company={COMPANY} notes="{NOTE}"'
        for command in ("logged-interview", "pending", "thanked"):
            sent = await slack.command(command, line if command == "logged-interview" else "")
            urls.append(sent.response_url)
        # Signed correctly, but ten minutes old (clock skew, or a replay): refused.
        stale = urlencode(
            slack.command_body(
                "logged-interview",
                line,
                response_url=slack_fake.response_url(),
                trigger_id=new_trigger(),
            )
        )
        assert (await slack.post(stale, timestamp=int(time.time()) - 600))[0] == 401
        urls.append(stale.partition("response_url=")[2].partition("&")[0])
        event = await discord_fake.interact(slash("logged-interview", contact=CONTACT, notes=NOTE))
        assert "Interview logged" in str((await discord_fake.response_to(event)).json)
        await slack_fake.wait_until(lambda: len(slack_fake.called("response_url")) >= 3)
        code, _ = await process.terminate()
    finally:
        await process.kill()
        await slack_fake.stop()
        await discord_fake.close()
    assert code == 0, process.log()
    logged = process.log()
    # The run really logged at DEBUG, libraries included, so the check below means something.
    libraries = ["slack_bolt", "slack_sdk", "discord.gateway", "discord.http"]
    if database.url.startswith("sqlite"):
        libraries.append("aiosqlite")  # the driver (asyncpg logs nothing of its own)
    for library in libraries:
        assert f"DEBUG {library}" in logged, library
    for secret in (NOTE, CONTACT, COMPANY, "Quartzwhistle", *(u.rsplit("/", 1)[-1] for u in urls)):
        assert secret not in logged, secret
