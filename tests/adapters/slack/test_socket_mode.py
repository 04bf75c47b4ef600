"""Socket Mode: the same app reached through a websocket instead of a public URL."""

from __future__ import annotations

import aiohttp

from adapters.slack.app import SlackAdapter
from bot.app import Peerpath
from tests.adapters.slack.conftest import slack_settings
from tests.fakes.slack_requests import SlackSide, new_trigger, picked_date, typed
from tests.fakes.slack_web_api import FakeSlack


async def test_command_over_socket_mode(app: Peerpath, fake: FakeSlack) -> None:
    settings = slack_settings(fake, app_token="xapp-1-test")
    settings.slack_api_url = fake.api_url + "/"  # a trailing slash is fine too
    adapter = SlackAdapter(app, settings)
    await adapter.start()
    try:
        [opened] = fake.called("apps.connections.open")
        assert opened.params["_token"] == "xapp-1-test"
        await fake.wait_for("socket")
        response_url = fake.response_url()
        body = SlackSide.command_body(
            "outreach",
            '"Jane Doe" company=Acme',
            response_url=response_url,
            trigger_id=new_trigger(),
        )
        envelope = await fake.send_envelope("slash_commands", body)
        ack = await fake.wait_for_ack(envelope)
        assert "payload" not in ack  # a bare acknowledgement
        [answer] = await fake.wait_for("response_url")
        assert answer.params["_url"] == response_url
        assert answer.params["blocks"][0]["text"]["text"] == "Outreach logged"

        base = f"http://127.0.0.1:{adapter.port}"
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/healthz") as health:
                assert health.status == 200
            async with session.post(base + "/slack/events", data="x") as events:
                assert events.status == 404  # no public endpoint in Socket Mode
    finally:
        await adapter.stop()


async def test_form_errors_travel_in_the_socket_acknowledgement(
    app: Peerpath, fake: FakeSlack
) -> None:
    adapter = SlackAdapter(app, slack_settings(fake, app_token="xapp-1-test"))
    await adapter.start()
    try:
        await fake.wait_for("socket")
        body = SlackSide.command_body(
            "scheduled", "", response_url=fake.response_url(), trigger_id=new_trigger()
        )
        await fake.send_envelope("slash_commands", body)
        view = (await fake.wait_for("views.open"))[0].params["view"]
        values = {"contact": typed("Jane Doe"), "date": picked_date("2020-01-01")}
        envelope = await fake.send_envelope("interactive", SlackSide.submission(view, values))
        ack = await fake.wait_for_ack(envelope)
        assert ack["payload"]["response_action"] == "errors"
        assert list(ack["payload"]["errors"]) == ["date"]
    finally:
        await adapter.stop()
