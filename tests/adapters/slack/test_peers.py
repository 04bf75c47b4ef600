"""Partner rounds and plans on Slack, through the real bolt app and notifier against the
fake: the round DM mentions the partner as ``<@U…>``, the check-in buttons answer only
their member, and **Write my plan** opens a form whose submission saves the plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from adapters.slack.app import SlackAdapter
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import PartnerMatch, Plan
from tests.adapters.slack.test_http import answer, button_ids
from tests.fakes.slack_requests import ANN, SlackSide, selected, typed
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.support import Person, outbox

BEN = "U0BEN"
GROUP = "C0GROUP"
PLAN = "Ask two *fintech* people <!here> <!channel> @everyone <@U0BOSS> _now_ for advice"


def dms(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [c.params for c in fake.called("chat.postMessage") if c.params["channel"] == channel]


def titled(messages: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    return [m for m in messages if m["blocks"][0]["text"]["text"] == title]


async def round_started(app: Peerpath, adapter: SlackAdapter, clock: SimulatedClock) -> None:
    """Ann and Ben opted in to a group whose digest falls an hour after the start, a week
    on: the digest goes out and the round starts; the next sweep sends its DMs."""
    admin = Person(app, "U0ADMIN", workspace=TEAM_ID, platform="slack", is_admin=True)
    admin.channel = GROUP
    await admin.say("/settings reminders=off")
    setup = "/group-setup tz=UTC digest-day=wednesday digest-hour=11 partners=weekly"
    assert (await admin.say(setup)).title == "Group created"
    for user in (ANN, BEN):
        member = Person(app, user, workspace=TEAM_ID, platform="slack", channel=GROUP)
        await member.say("/settings quiet=off")
        await member.say("/partners on")
    ben = Person(app, BEN, workspace=TEAM_ID, platform="slack", channel=GROUP)
    clock.advance(timedelta(days=7, hours=2))
    # This week's plan (a partner sees only the plan of the round's week).
    await ben.say(f'/plan text="{PLAN}"')
    box = outbox(app, {"slack": adapter.notifier})
    await box.sweep()  # the digest, and the round it starts
    await box.sweep()  # the round's DMs


async def test_the_round_dm_mentions_the_partner_and_shows_counts_only(
    app: Peerpath, adapter: SlackAdapter, fake: FakeSlack, clock: SimulatedClock
) -> None:
    await round_started(app, adapter, clock)
    [to_ben] = titled(dms(fake, "D0BEN"), "Your partner this round")
    [to_ann] = titled(dms(fake, "D0ANN"), "Your partner this round")
    sections = [b["text"]["text"] for b in to_ann["blocks"] if b["type"] == "section"]
    assert any(f"you're paired with <@{BEN}> until" in text for text in sections)
    assert f"<@{BEN}>" in to_ann["text"]  # the notification pings too
    to_ben_sections = [b["text"]["text"] for b in to_ben["blocks"] if b["type"] == "section"]
    assert any(f"<@{ANN}>" in text for text in to_ben_sections)
    shown = " ".join(b["text"]["text"] for b in to_ann["blocks"] if "text" in b)
    # Ben's plan, quoted in the opener, is his words shown as typed: never a ping or a
    # mention (the one mention of the DM is Ann's partner, from the reply's own mentions).
    for inert in ("&lt;!here&gt;", "&lt;!channel&gt;", "&lt;@U0BOSS&gt;"):
        assert inert in shown
    for live in ("<!here>", "<!channel>", "<@U0BOSS>", "<!everyone>"):
        assert live not in shown
    assert "Suggested opener" in shown and "Goals this week: 5 outreach, 1 interview" in shown


async def test_check_in_buttons_answer_their_member_only(
    app: Peerpath, adapter: SlackAdapter, slack: SlackSide, fake: FakeSlack, clock: SimulatedClock
) -> None:
    await round_started(app, adapter, clock)
    clock.advance(timedelta(days=4))  # past the check-in, at 09:00 on Sunday
    await outbox(app, {"slack": adapter.notifier}).sweep()
    [asked] = titled(dms(fake, "D0ANN"), f"Checked in with {BEN}?")
    met, not_yet, skip = button_ids(asked)
    assert met.startswith("partner-checkin:") and ".met." in met  # and the team it asks of
    labels = [
        e["text"]["text"] for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels == [f"We checked in with {BEN}", f"Not yet: {BEN}", f"Skip this round with {BEN}"]
    refused = await slack.click(met, user=BEN, channel="D0BEN")
    assert "This button is for someone else." in str(await answer(fake, refused.response_url))
    pressed = await slack.click(met, user=ANN, channel="D0ANN")
    said = await answer(fake, pressed.response_url)
    assert f"Noted: you checked in with {BEN}." in str(said)
    async with app.sessions() as session:
        found = await session.execute(select(PartnerMatch.checkin).order_by(PartnerMatch.id))
        answers = sorted(found.scalars(), key=str)
    assert answers == [None, "met"]  # Ann's answer; Ben's press changed nothing


async def test_write_my_plan_opens_a_form_whose_submission_saves_it(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    admin = Person(app, "U0ADMIN", workspace=TEAM_ID, platform="slack", is_admin=True)
    admin.channel = GROUP
    await admin.say("/group-setup tz=UTC partners=weekly")
    await Person(app, ANN, workspace=TEAM_ID, platform="slack", channel=GROUP).say("/join")
    pressed = await slack.click("plan-write:2026-11-16", user=ANN)
    [form] = await fake.wait_for("views.open")
    assert form.params["trigger_id"] == pressed.trigger_id
    view = form.params["view"]
    assert view["title"]["text"] == "Your plan this week"
    blocks = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert list(blocks) == ["text", "share"]
    assert blocks["text"]["multiline"] is True
    values = {"text": typed("Write to Acme's <@U0BOSS> alumni"), "share": selected("group")}
    assert await slack.submit(view, values, view_id="V0PLAN") == (200, "")
    done = await answer(fake, pressed.response_url)
    assert done["blocks"][0]["text"]["text"] == "Plan saved"
    assert "&lt;@U0BOSS&gt;" in done["blocks"][1]["text"]["text"]  # shown, never a ping
    async with app.sessions() as session:
        plan = await session.scalar(select(Plan))
    assert (plan.text, plan.shared) == ("Write to Acme's <@U0BOSS> alumni", True)
