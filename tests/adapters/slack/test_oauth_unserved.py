"""A request from a team peerpath cannot serve through the real bolt: the database away
is not taken for "not installed" (the member hears the core's "Temporarily unavailable",
nothing is lost to a reinstall), and a team that removed the app hears peerpath's own
words with the install link — neither with an ERROR line from bolt."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import pytest

from adapters.slack.door import EVENTS_PATH
from bot.app import Peerpath
from bot.storage.db import sqlite_path
from tests.adapters.slack.oauth_support import (
    BEA,
    BETA,
    BETA_CHANNEL,
    GAMMA,
    GAMMA_CHANNEL,
    GIL,
    add_teams,
    install,
    running,
)
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import FakeSlack


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: removing its file is a real outage the process notices at once (the
    same code path serves PostgreSQL refusing connections: any failed lookup)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}"


async def answer_to(fake: FakeSlack, slack: SlackSide, user: str, team: str, channel: str) -> str:
    sent = await slack.command("mystats", "", user, team=team, channel=channel)
    assert sent.status == 200
    [answer] = await fake.wait_for(
        "response_url", where=lambda c: c.params["_url"] == sent.response_url
    )
    return str(answer.params["blocks"])


def bolt_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_database_away_is_not_an_uninstall(
    app: Peerpath, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        assert (await install(adapter, fake, BETA))[0] == 200  # its token not yet looked up
        path = sqlite_path(str(app.engine.url))
        assert path is not None
        path.unlink()
        caplog.clear()
        said = await answer_to(fake, slack, BEA, BETA, BETA_CHANNEL)
        assert "Temporarily unavailable" in said and "Nothing was saved" in said
        assert "reinstall" not in said.lower()
    assert not [e for e in bolt_errors(caplog) if "database file" not in e]
    assert not [r for r in caplog.records if r.name.startswith("slack_bolt") and r.exc_info]


async def test_a_locked_database_is_answered_within_slacks_three_seconds(
    app: Peerpath, fake: FakeSlack
) -> None:
    """Another process holds SQLite's lock past its busy timeout: the token lookup is given
    up after LOOKUP_SECONDS, so Slack gets its acknowledgement in time, and the member the
    same "Temporarily unavailable"; once the lock is gone the team is served again."""
    add_teams(fake)
    async with running(app, fake) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        assert (await install(adapter, fake, BETA))[0] == 200
        path = sqlite_path(str(app.engine.url))
        assert path is not None
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            started = time.monotonic()
            said = await answer_to(fake, slack, BEA, BETA, BETA_CHANNEL)
            assert time.monotonic() - started < 3.0
            assert "Temporarily unavailable" in said
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "Temporarily unavailable" not in await answer_to(
            fake, slack, BEA, BETA, BETA_CHANNEL
        )


async def test_a_team_without_peerpath_hears_how_to_add_it_again(
    app: Peerpath, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    add_teams(fake)
    public = "https://peerpath.example.org/base"
    async with running(app, fake, PEERPATH_PUBLIC_URL=public) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        caplog.clear()
        for _ in range(2):
            said = await answer_to(fake, slack, GIL, GAMMA, GAMMA_CHANNEL)
            assert "no longer installed" in said and f"{public}/slack/install" in said
            assert ":bow:" not in said
    assert bolt_errors(caplog) == []
