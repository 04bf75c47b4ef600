"""Wins and practice conversations on Slack: the real bolt app and notifier against the fake.

The win post mentions its member as ``<@U…>`` (a real mention) while the member's own
line is escaped (``<!channel>`` stays text) and no contact, company or note reaches the
channel; the Share button refuses anyone else and posts once. The practice DM mentions
the partner and carries a Done button that works.
"""

from __future__ import annotations

from typing import Any

from bot.app import Peerpath
from tests.adapters.slack.test_http import answer, button_ids
from tests.fakes.slack_requests import ANN, CHANNEL, SlackSide
from tests.fakes.slack_web_api import FakeSlack
from tests.support import outbox

BEN = "U0BEN"
PLANTED = ("Quinn Planted", "Zyxplantco", "Plantedrole", "PLANTEDNOTE", "Rory Plantedref")


def posts_to(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [c.params for c in fake.called("chat.postMessage") if c.params["channel"] == channel]


async def test_a_win_is_posted_once_with_a_mention_and_nothing_private(
    app: Peerpath, slack: SlackSide, fake: FakeSlack, adapter: Any
) -> None:
    await answer(fake, (await slack.command("group-setup", user="U0ADMIN")).response_url)
    logged = await slack.command(
        "logged-interview",
        '"Quinn Planted" company=Zyxplantco role=Plantedrole referrals="Rory Plantedref" '
        'notes="PLANTEDNOTE"',
    )
    share = next(b for b in button_ids(await answer(fake, logged.response_url)) if "win" in b)
    assert share.startswith("share-win:")
    refused = await answer(fake, (await slack.click(share, user=BEN)).response_url)
    assert "This button is for someone else." in refused["text"]
    shared = await answer(fake, (await slack.click(share)).response_url)
    assert shared["blocks"][0]["text"]["text"] == "Shared with your group"
    again = await answer(fake, (await slack.click(share)).response_url)  # a stale press
    assert "Already shared" in again["text"]
    await answer(fake, (await slack.command("outreach", '"Tess Doe"')).response_url)
    await answer(fake, (await slack.command("scheduled", '"Tess Doe" date=friday')).response_url)
    line = "<!channel> @everyone *so* glad <@U0BEN> &"
    await answer(fake, (await slack.command("win", f'text="{line}"')).response_url)

    box = outbox(app, {"slack": adapter.notifier})
    await box.sweep()
    await box.sweep()
    held, scheduled = posts_to(fake, CHANNEL)
    texts = [
        next(b for b in post["blocks"] if b["type"] == "section")["text"]
        for post in (held, scheduled)
    ]
    assert texts[0]["text"] == (
        f"🎉 <@{ANN}> held an informational interview and collected 1 referral"
    )
    said = texts[1]["text"]
    assert said.startswith(f"🎉 <@{ANN}> scheduled an informational interview\n")
    assert "&lt;!channel&gt; @everyone *so* glad &lt;@U0BEN&gt; &amp;" in said
    assert "<!channel>" not in said and "<@U0BEN>" not in said
    assert texts[1]["verbatim"] is True  # the member's words are shown as typed
    assert f"<@{ANN}>" in scheduled["text"] and "<!channel>" not in scheduled["text"]
    for planted in PLANTED:
        assert planted not in str(held) + str(scheduled), planted


async def test_practice_pairs_by_dm_with_a_mention_and_a_done_button(
    app: Peerpath, slack: SlackSide, fake: FakeSlack, adapter: Any
) -> None:
    await answer(fake, (await slack.command("group-setup", user="U0ADMIN")).response_url)
    waiting = await answer(fake, (await slack.command("practice", "field=finance")).response_url)
    assert "Waiting for a practice partner" in waiting["text"]
    paired = await answer(fake, (await slack.command("practice", user=BEN)).response_url)
    assert f"<@{ANN}>" in paired["blocks"][1]["text"]["text"]

    await outbox(app, {"slack": adapter.notifier}).sweep()
    dms = {
        c.params["channel"]: c.params
        for c in fake.called("chat.postMessage")
        if "Your practice conversation" in c.params["text"]
    }
    assert sorted(dms) == ["D0ANN", "D0BEN"]
    ann_dm = dms["D0ANN"]
    body = next(b for b in ann_dm["blocks"] if b["type"] == "section")["text"]["text"]
    assert f"You play the job seeker and <@{BEN}> plays the contact" in body
    [done] = button_ids(ann_dm)
    assert done != button_ids(dms["D0BEN"])[0] and done.startswith("practice-done:")
    for other in ("U0CID", BEN):  # a stranger, and the partner: this Done is ann's
        refused = await answer(fake, (await slack.click(done, user=other)).response_url)
        assert "This button is for someone else." in refused["text"]
    pressed = await slack.click(done, channel="D0ANN", type="message", message_ts="1.0")
    held = await answer(fake, pressed.response_url)
    assert held["blocks"][0]["text"]["text"] == "Practice done"
