"""Display names are plain text on Slack: a URL in a name is not made a link (the text
is sent ``verbatim``), and ``<!channel>`` or ``&`` in it are escaped, on the leaderboard
and the digest."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.adapters.slack.test_http import answer
from tests.fakes.slack_requests import SlackSide, new_trigger
from tests.fakes.slack_web_api import FakeSlack

NAMES = ["see https://evil.example/win", "evil.example & <!channel>", "#general <@U0ADMIN>"]


async def typed_by(slack: SlackSide, fake: FakeSlack, name: str, user: str, text: str) -> None:
    """``/outreach text`` from a member whose Slack display name is ``name``."""
    body = slack.command_body(
        "outreach", text, user, response_url=fake.response_url(), trigger_id=new_trigger()
    )
    body["user_name"] = name
    assert (await slack.post(urlencode(body)))[0] == 200
    await answer(fake, body["response_url"])


async def test_names_are_sent_verbatim_and_escaped(
    app: Peerpath, slack: SlackSide, fake: FakeSlack, clock: SimulatedClock
) -> None:
    setup = await slack.command("group-setup", "outreach=1 interviews=0", user="U0ADMIN")
    await answer(fake, setup.response_url)
    clock.advance(timedelta(days=7))  # last week: one the group saw whole, so /digest has it
    for n, name in enumerate(NAMES):
        await typed_by(slack, fake, name, f"U0M{n}", '"Jane Doe" date="7 days ago"')
    board = await answer(fake, (await slack.command("leaderboard")).response_url)
    digest = await answer(fake, (await slack.command("digest", user="U0ADMIN")).response_url)
    sections = [b["text"] for b in board["blocks"] + digest["blocks"] if b["type"] == "section"]
    named = [s for s in sections if "evil.example" in s["text"]]
    assert len(named) == 3  # the board, and the digest's board and streaks
    for text in named:
        assert text["verbatim"] is True  # Slack leaves the URL, #general and @… as typed
        assert "&lt;!channel&gt;" in text["text"] and "<!channel>" not in text["text"]
        assert "evil.example &amp; " in text["text"]
    pending = await answer(fake, (await slack.command("pending")).response_url)
    assert all("verbatim" not in b.get("text", {}) for b in pending["blocks"])  # no names there
