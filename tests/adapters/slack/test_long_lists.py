"""Long lists on Slack, through bolt and the fake Slack (which refuses anything outside
Block Kit's limits): /pending page after page with "Show more", and the App Home too."""

from __future__ import annotations

import json
from typing import Any

from bot.app import Peerpath
from tests.adapters.slack.test_http import answer, button_ids
from tests.bot.commands.test_pending_pages import THANKS, WAITING, fill
from tests.fakes.slack_requests import ANN, CHANNEL, SlackSide
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.support import Person


def slack_member(app: Peerpath) -> Person:
    return Person(app, ANN, workspace=TEAM_ID, channel=CHANNEL, platform="slack")


def shown_ids(blocks: list[dict[str, Any]]) -> set[str]:
    """Which contacts ("T07", "W12") the sections show."""
    found = set()
    for block in blocks:
        if block["type"] == "section":
            for line in block["text"]["text"].split("\n"):
                if line.startswith("• "):
                    found.add(line[2:5])
    return found


def more_of(ids: list[str]) -> str | None:
    return next((i for i in ids if i.startswith("pending-more:")), None)


async def test_pending_pages_through_every_item(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    await fill(app, slack_member(app))
    sent = await slack.command("pending")
    message = await answer(fake, sent.response_url)
    seen, pages, thanked = shown_ids(message["blocks"]), 1, []
    while (more := more_of(button_ids(message))) is not None:
        thanked += [i for i in button_ids(message) if i.startswith("thanked:")]
        clicked = await slack.click(more)
        message = await answer(fake, clicked.response_url)
        assert message["replace_original"] is True  # the page replaces the one before
        seen |= shown_ids(message["blocks"])
        pages += 1
    thanked += [i for i in button_ids(message) if i.startswith("thanked:")]
    assert pages > 1
    assert seen == {f"T{n:02d}" for n in range(THANKS)} | {f"W{n:02d}" for n in range(WAITING)}
    assert len(set(thanked)) == THANKS
    pressed = await slack.click(thanked[-1])  # a Thanked button from the last pages
    assert (await answer(fake, pressed.response_url))["blocks"][0]["text"]["text"] == (
        "Thank-you sent"
    )


async def test_the_app_home_shows_the_next_page_above_the_overview(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    await fill(app, slack_member(app))
    assert await slack.event({"type": "app_home_opened", "user": ANN, "tab": "home"}) == 200
    home = (await fake.wait_for("views.publish"))[-1].params["view"]
    more = more_of(button_ids(home))
    assert more is not None
    await slack.click(more, type="view", view_id="V0HOME")
    after = (await fake.wait_for("views.publish", 2))[-1].params["view"]
    assert after["blocks"][0]["text"]["text"].startswith("*Pending (continued)*")
    ids = button_ids(after)
    assert len(ids) == len(set(ids))  # the fake also refuses a view repeating an action id
    assert more_of(ids) != more  # the notice's "Show more" goes on from there
    shown = json.dumps(after)
    assert "Streak" in shown  # the overview is still there, below
