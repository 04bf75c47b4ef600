"""Slack's App Home tab end to end: the real bolt app, a fake Slack, the real core and database.

Showing Home is no command: it never makes anyone a member, nor brings back one who
left with /forget-me.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from adapters.slack.app import SlackAdapter
from bot.app import Peerpath
from bot.models import Member
from tests.fakes.slack_requests import ANN, SlackSide, typed
from tests.fakes.slack_web_api import FakeSlack

NEWCOMER = "U0FRESH"


async def member_rows(app: Peerpath, user: str) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).where(Member.user_id == user)) or 0


async def published(fake: FakeSlack, count: int) -> dict[str, Any]:
    return (await fake.wait_for("views.publish", count))[-1].params["view"]


async def test_opening_home_shows_a_newcomer_their_home_without_making_them_a_member(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    fake.people[NEWCOMER] = {"profile": {"real_name": "Fresh Person", "display_name": "fresh"}}
    assert await slack.event({"type": "app_home_opened", "user": NEWCOMER, "tab": "home"}) == 200
    view = await published(fake, 1)
    assert "Nothing logged yet" in json.dumps(view)
    assert "Log outreach" in json.dumps(view)
    assert await member_rows(app, NEWCOMER) == 0
    # Not a member: "Log as outreach" still suggests them as the contact.
    await slack.shortcut("log-outreach", {"user": NEWCOMER, "text": "hi"})
    form = (await fake.wait_for("views.open"))[-1].params["view"]
    [contact] = [b for b in form["blocks"] if b["block_id"] == "contact"]
    assert contact["element"]["initial_value"] == "Fresh Person"


async def test_a_home_refresh_queued_before_forget_me_brings_nothing_back(
    app: Peerpath, adapter: SlackAdapter, slack: SlackSide, fake: FakeSlack
) -> None:
    frozen = 1000.0
    adapter.answers.home_interval = 0.2
    adapter.answers._monotonic = lambda: frozen  # both commands fall in one window
    await slack.command("outreach", '"Kim Park"')
    await fake.wait_for("views.publish")
    await slack.command("forget-me", "confirm=yes")
    after = await published(fake, 2)  # the refresh queued by /forget-me, window over
    assert "Nothing logged yet" in json.dumps(after)
    assert await member_rows(app, ANN) == 0


async def test_an_answer_shown_on_home_keeps_its_own_mentions(
    slack: SlackSide, fake: FakeSlack
) -> None:
    await slack.command("group-setup", "outreach=1 interviews=1", user="U0ADMIN")
    await slack.command("logged-interview", '"Jane Doe" date=yesterday')
    await fake.wait_for("response_url", 2)
    await slack.click("share-win:1", type="view", view_id="V0HOME")
    [shown] = await fake.wait_for(
        "views.publish", where=lambda c: c.params["view"]["blocks"][0]["type"] == "section"
    )
    notice = shown.params["view"]["blocks"][0]["text"]["text"]
    assert f"<@{ANN}>" in notice and "&lt;@" not in notice


async def test_an_interview_logged_from_anywhere_is_answered_on_home_when_no_dm_can_go(
    slack: SlackSide, fake: FakeSlack
) -> None:
    fake.fail("conversations.open", "cannot_dm_bot")
    fake.fail("chat.postMessage", "cannot_dm_bot")
    await slack.shortcut("log-interview")
    view = (await fake.wait_for("views.open"))[-1].params["view"]
    assert await slack.submit(view, {"contact": typed("Ada Byron")}) == (200, "")
    [shown] = await fake.wait_for(
        "views.publish", where=lambda c: c.params["view"]["blocks"][0]["type"] == "section"
    )
    assert shown.params["view"]["blocks"][0]["text"]["text"].startswith("*Interview logged*")
