"""One workspace's token: a signed request from another team is refused at the way in,
with one friendly answer, nothing written and nothing logged as an error. The real bolt
app, a fake Slack, the real core and database."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from bot.app import Peerpath
from bot.models import Member, Workspace
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import FakeSlack

OTHER = "T0ELSEWHERE"


async def rows(app: Peerpath) -> tuple[int, int]:
    async with app.sessions() as session:
        workspaces = await session.scalar(select(func.count()).select_from(Workspace))
        members = await session.scalar(select(func.count()).select_from(Member))
    return workspaces or 0, members or 0


async def test_another_teams_commands_shortcuts_and_home_are_refused_before_anything_is_written(
    app: Peerpath, slack: SlackSide, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    typed = await slack.command("outreach", '"Kim Park"', user="U0EVE", team=OTHER)
    assert typed.status == 200
    assert "isn't installed in your Slack workspace" in json.loads(typed.body)["text"]

    payload = {
        "type": "message_action",
        "token": "deprecated",
        "action_ts": "1.0",
        "team": {"id": OTHER, "domain": "elsewhere"},
        "user": {"id": "U0EVE", "username": "eve", "team_id": OTHER},
        "is_enterprise_install": False,
        "callback_id": "log-outreach",
        "trigger_id": "1.2.abc",
        "channel": {"id": "C0ELSE", "name": "general"},
        "message": {"type": "message", "ts": "1.0", "user": "U0JANE", "text": "hi"},
        "message_ts": "1.0",
        "response_url": fake.response_url(),
    }
    assert (await slack.interact(payload))[0] == 200
    [answered] = await fake.wait_for("response_url")
    assert "isn't installed" in answered.params["text"]

    opened = {"type": "app_home_opened", "user": "U0EVE", "tab": "home"}
    assert await slack.event(opened, team=OTHER) == 200
    assert not fake.called("views.open") and not fake.called("views.publish")
    assert await rows(app) == (0, 0)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
