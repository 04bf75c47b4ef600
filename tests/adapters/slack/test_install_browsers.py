"""Add to Slack as browsers really go through it, through bolt's real flow and the fake
Slack: two installs at once from one browser, a link kept too long or used twice, a
link opened elsewhere, the database away on the way back, Slack refusing the app's
credentials or failing, HEAD requests, and a flood of visits to the install link."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select, update

from adapters.slack.app import SlackAdapter
from adapters.slack.install_flow import COOKIE_SECONDS, LIVE_STATES, STATE_SECONDS
from adapters.slack.manifest import INSTALL_PATH, REDIRECT_PATH
from bot.app import Peerpath
from bot.models import SLACK_OAUTH_STATES
from bot.storage.db import sqlite_path
from tests.adapters.slack.oauth_support import (
    BETA,
    GAMMA,
    add_teams,
    base,
    installed_rows,
    running,
)
from tests.fakes.slack_web_api import FakeSlack


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite: removing its file is a real outage the running process notices at once."""
    return f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}"


@asynccontextmanager
async def browser(adapter: SlackAdapter) -> AsyncIterator[aiohttp.ClientSession]:
    """One browser: it keeps its cookies for the app's origin."""
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=base(adapter))
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


async def open_link(session: aiohttp.ClientSession, adapter: SlackAdapter) -> str:
    """Open the install link; where it sends the browser (Slack's consent page)."""
    async with session.get(base(adapter) + INSTALL_PATH, allow_redirects=False) as page:
        assert page.status == 302
        return page.headers["Location"]


async def consent(
    session: aiohttp.ClientSession, fake: FakeSlack, consent_url: str, team: str
) -> str:
    """An admin of ``team`` clicks Allow; the link Slack sends the browser back with."""
    fake.consenting = team
    async with session.get(consent_url, allow_redirects=False) as page:
        return page.headers["Location"]


async def back(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as page:
        return page.status, await page.text()


async def states(app: Peerpath) -> int:
    async with app.engine.connect() as connection:
        return await connection.scalar(select(func.count()).select_from(SLACK_OAUTH_STATES)) or 0


async def test_two_installs_started_in_one_browser_both_finish(
    app: Peerpath, fake: FakeSlack
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter, browser(adapter) as tab:
        first = await open_link(tab, adapter)
        second = await open_link(tab, adapter)  # another tab, same browser
        gamma_back = await consent(tab, fake, second, GAMMA)
        beta_back = await consent(tab, fake, first, BETA)
        assert (await back(tab, gamma_back))[0] == 200
        status, page = await back(tab, beta_back)
        assert status == 200 and "Beta Camp" in page
    assert await installed_rows(app, BETA) == (1, 1)
    assert await installed_rows(app, GAMMA) == (1, 1)


async def test_an_expired_link_says_expired_and_a_used_one_says_used(
    app: Peerpath, fake: FakeSlack
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter, browser(adapter) as tab:
        async with tab.get(base(adapter) + INSTALL_PATH, allow_redirects=False) as page:
            cookie = page.headers["Set-Cookie"]
            consent_url = page.headers["Location"]
        assert f"Max-Age={COOKIE_SECONDS}" in cookie and COOKIE_SECONDS > STATE_SECONDS
        returned = await consent(tab, fake, consent_url, BETA)
        async with app.engine.begin() as connection:  # the admin took longer than ten minutes
            await connection.execute(
                update(SLACK_OAUTH_STATES).values(expire_at=datetime(2020, 1, 1))
            )
        status, page = await back(tab, returned)
        assert status == 401 and "expired" in page and "another browser" not in page

        returned = await consent(tab, fake, await open_link(tab, adapter), BETA)
        assert (await back(tab, returned))[0] == 200
        for again in range(2):  # the same browser, then another, open the finished link
            session = tab if again == 0 else aiohttp.ClientSession()
            async with session.get(returned) as page:
                text = await page.text()
                assert page.status == 401 and "used already" in text
                assert "another browser" not in text
            if again:
                await session.close()

        live = await consent(tab, fake, await open_link(tab, adapter), GAMMA)
        async with aiohttp.ClientSession() as elsewhere:  # a live link, without its cookie
            status, page = await back(elsewhere, live)
        assert status == 400 and "another browser" in page
    assert await installed_rows(app, GAMMA) == (0, 0)


async def test_the_database_away_on_the_way_back_is_said_so(app: Peerpath, fake: FakeSlack) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter, browser(adapter) as tab:
        returned = await consent(tab, fake, await open_link(tab, adapter), BETA)
        path = sqlite_path(str(app.engine.url))
        assert path is not None
        path.unlink()
        status, page = await back(tab, returned)
        assert status == 503 and "cannot reach its database" in page
        assert "expired" not in page


@pytest.mark.parametrize(
    ("error", "status", "page_says", "logged"),
    [
        (
            "bad_client_secret",
            500,
            "SLACK_CLIENT_SECRET",
            "check SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
        ),
        (
            "invalid_client_id",
            500,
            "SLACK_CLIENT_ID",
            "check SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
        ),
        ("internal_error", 502, "try again later", "Slack failed to complete an installation"),
    ],
)
async def test_slack_refusing_the_app_or_failing_is_told_apart(
    app: Peerpath,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    error: str,
    status: int,
    page_says: str,
    logged: str,
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter, browser(adapter) as tab:
        returned = await consent(tab, fake, await open_link(tab, adapter), BETA)
        fake.fail("oauth.v2.access", error, status=500 if error == "internal_error" else 200)
        caplog.clear()
        got, page = await back(tab, returned)
        assert (got, page_says in page) == (status, True)
    code = returned.split("code=")[1].split("&")[0]
    lines = [r.getMessage() for r in caplog.records]
    assert not [line for line in lines if code in line or "invalid_code" in line]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and logged in warnings[0]
    assert await installed_rows(app, BETA) == (0, 0)


async def test_head_answers_without_issuing_or_using_a_state(
    app: Peerpath, fake: FakeSlack
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter, aiohttp.ClientSession() as session:
        for path in (INSTALL_PATH, REDIRECT_PATH, "/healthz"):
            async with session.head(base(adapter) + path) as page:
                assert page.status == 200 and await page.read() == b""
        assert await states(app) == 0


async def test_a_flood_of_visits_is_bounded(app: Peerpath, fake: FakeSlack) -> None:
    add_teams(fake)
    soon = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5)
    async with app.engine.begin() as connection:
        await connection.execute(
            SLACK_OAUTH_STATES.insert(),
            [{"state": f"s{n}", "expire_at": soon} for n in range(LIVE_STATES)],
        )
    async with running(app, fake) as adapter, aiohttp.ClientSession() as session:
        async with session.get(base(adapter) + INSTALL_PATH, allow_redirects=False) as page:
            assert page.status == 503 and page.headers["Retry-After"] == "60"
            assert "try again in a minute" in await page.text()
    assert await states(app) == LIVE_STATES


async def test_what_the_return_link_says_is_not_logged(
    app: Peerpath, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter, aiohttp.ClientSession() as session:
        forged = "x%0A2026-12-01 00:00:00 ERROR peerpath: forged"
        caplog.clear()
        async with session.get(f"{base(adapter)}{REDIRECT_PATH}?error={forged}") as page:
            assert page.status == 200 and "did not complete" in await page.text()
    assert not [r for r in caplog.records if "forged" in r.getMessage()]


async def test_links_keep_the_public_urls_path(app: Peerpath, fake: FakeSlack) -> None:
    public = "https://peerpath.example.org/base"
    async with running(app, fake, PEERPATH_PUBLIC_URL=public) as adapter:
        async with aiohttp.ClientSession() as session:
            cancelled = f"{base(adapter)}{REDIRECT_PATH}?error=access_denied"
            async with session.get(cancelled) as page:
                assert f'href="{public}/slack/install"' in await page.text()
            async with session.get(base(adapter) + INSTALL_PATH, allow_redirects=False) as page:
                assert f"redirect_uri={public}{REDIRECT_PATH}" in page.headers["Location"]


async def test_a_bot_token_beside_oauth_is_said_to_be_unused(
    app: Peerpath, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(app, fake, SLACK_BOT_TOKEN="xoxb-test"):
        pass
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "SLACK_BOT_TOKEN is set but unused" in warning
