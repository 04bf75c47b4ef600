"""Whoever runs peerpath can follow workspaces coming and going in the logs: a first
install, a removal, an install again and the purge after the retention each say so with
the workspace's id — never its name — in the text and the JSON formats alike."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from adapters.slack.door import EVENTS_PATH
from bot import logs
from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.adapters.slack.oauth_support import BETA, add_teams, install, running
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import FakeSlack
from tests.support import outbox


@pytest.fixture
def both() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """peerpath's INFO lines, as text and as JSON."""
    streams = io.StringIO(), io.StringIO()
    handlers = []
    for stream, formatter in zip(
        streams, (logs.TextFormatter(), logs.JsonFormatter()), strict=True
    ):
        handler = logging.StreamHandler(stream)
        handler.addFilter(logs.ContextFilter())
        handler.setFormatter(formatter)
        handlers.append(handler)
    logger = logging.getLogger("peerpath")
    level = logger.level
    logger.setLevel(logging.INFO)
    for handler in handlers:
        logger.addHandler(handler)
    yield streams
    for handler in handlers:
        logger.removeHandler(handler)
    logger.setLevel(level)


async def test_installs_removals_and_purges_are_logged_by_id(
    app: Peerpath, fake: FakeSlack, clock: SimulatedClock, both: tuple[io.StringIO, io.StringIO]
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        await install(adapter, fake, BETA)
        await slack.command("mystats", "", "U0BEA", team=BETA, channel="C0BETA")
        await fake.wait_for("response_url")
        fake.revoke(BETA)
        await slack.event({"type": "app_uninstalled"}, team=BETA)
        await install(adapter, fake, BETA)
        fake.revoke(BETA)
        await slack.event({"type": "app_uninstalled"}, team=BETA)
        clock.advance(timedelta(days=30))
        await outbox(app, {"slack": adapter.notifier}).sweep()
    text, as_json = (stream.getvalue() for stream in both)
    expected = [
        f"slack workspace {BETA} installed the app",
        f"slack workspace {BETA} removed the app; its data is kept for 30 days",
        f"slack workspace {BETA} installed the app again; its data was kept",
        f"slack workspace {BETA} deleted with all its data",
    ]
    for line in expected:
        assert line in text
    assert f"{expected[0]} [workspace={BETA}]" in text  # a first install, said as such
    events = [json.loads(line) for line in as_json.splitlines()]
    about = [e for e in events if e["message"].startswith(f"slack workspace {BETA}")]
    assert [e["workspace"] for e in about] == [BETA] * len(about)
    for line in expected:
        assert any(e["message"].startswith(line) for e in about)
    assert any(e["message"] == expected[0] for e in about)
    assert "Beta Camp" not in text + as_json
