"""An "Add to Slack" deployment against the fake Slack, and a browser that installs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from sqlalchemy import func, select

from adapters.slack.app import SlackAdapter
from adapters.slack.manifest import INSTALL_PATH, REDIRECT_PATH
from bot.app import Peerpath
from bot.config import Settings
from bot.models import SLACK_BOTS, SLACK_INSTALLATIONS, Workspace
from tests.adapters.slack.conftest import PACE
from tests.fakes.slack_requests import SIGNING_SECRET
from tests.fakes.slack_web_api import CLIENT_ID, CLIENT_SECRET, FakeSlack

BETA, GAMMA = "T0BETA", "T0GAMMA"
BEA, GIL = "U0BEA", "U0GIL"  # members of Beta Camp and of Gamma Guild
BETA_CHANNEL, GAMMA_CHANNEL = "C0BETA", "C0GAMMA"


def oauth_settings(fake: FakeSlack, app_token: str | None = None, **more: str) -> Settings:
    """Many workspaces: the app's credentials, no bot token (``more``: other settings)."""
    return Settings(  # type: ignore[call-arg]
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_APP_TOKEN=app_token,
        SLACK_API_URL=fake.api_url,
        PEERPATH_HOST="127.0.0.1",
        PEERPATH_PORT=0,
        **more,
    )


def add_teams(fake: FakeSlack) -> None:
    fake.add_team(BETA, "Beta Camp", users=(BEA,), channels=(BETA_CHANNEL,))
    fake.add_team(GAMMA, "Gamma Guild", users=(GIL,), channels=(GAMMA_CHANNEL,))


@asynccontextmanager
async def running(
    app: Peerpath, fake: FakeSlack, app_token: str | None = None, **more: str
) -> AsyncIterator[SlackAdapter]:
    """The adapter in OAuth mode, started; Slack's app settings point installs back to it."""
    adapter = SlackAdapter(app, oauth_settings(fake, app_token, **more), pace=PACE)
    await adapter.start()
    fake.redirect_url = f"{base(adapter)}{REDIRECT_PATH}"
    try:
        yield adapter
    finally:
        await adapter.stop()


def base(adapter: SlackAdapter) -> str:
    return f"http://127.0.0.1:{adapter.port}"


async def install(adapter: SlackAdapter, fake: FakeSlack, team: str | None) -> tuple[int, str]:
    """An admin of ``team`` opens the install link and clicks Allow (None: Cancel); the
    page the browser ends on. The browser keeps the state cookie for the app's origin."""
    fake.consenting = team
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=base(adapter))
    async with (
        aiohttp.ClientSession(cookie_jar=jar) as browser,
        browser.get(base(adapter) + INSTALL_PATH) as page,
    ):
        return page.status, await page.text()


async def installed_rows(app: Peerpath, team: str) -> tuple[int, int]:
    """The team's rows in slack_installations and slack_bots."""
    async with app.sessions() as session:
        counted = [
            await session.scalar(
                select(func.count()).select_from(table).where(table.c.team_id == team)
            )
            for table in (SLACK_INSTALLATIONS, SLACK_BOTS)
        ]
    return counted[0], counted[1]


async def workspace(app: Peerpath, team: str) -> Workspace | None:
    async with app.sessions() as session:
        return await session.scalar(
            select(Workspace).where(Workspace.platform == "slack", Workspace.external_id == team)
        )
