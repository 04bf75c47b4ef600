"""The real slack-bolt app, served on an ephemeral port, wired to a fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.app import EVENTS_PATH, SlackAdapter
from bot.app import Peerpath
from bot.config import Settings
from tests.fakes.slack_requests import SIGNING_SECRET, SlackSide
from tests.fakes.slack_web_api import FakeSlack

PACE = 0.05  # seconds between two messages to one channel (1.0 in production)


def slack_settings(fake: FakeSlack, app_token: str | None = None) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_APP_TOKEN=app_token,
        SLACK_API_URL=fake.api_url,
        PEERPATH_HOST="127.0.0.1",
        PEERPATH_PORT=0,
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack(admins=frozenset({"U0ADMIN"}))
    await server.start()
    yield server
    await server.stop()  # fails the test if Slack would have refused anything sent


@pytest.fixture
async def adapter(app: Peerpath, fake: FakeSlack) -> AsyncIterator[SlackAdapter]:
    running = SlackAdapter(app, slack_settings(fake), pace=PACE)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def slack(adapter: SlackAdapter, fake: FakeSlack) -> SlackSide:
    return SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
