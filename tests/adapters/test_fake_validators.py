"""The fakes refuse what the platforms would refuse, and fail the test that sent it.

Every adapter test runs against these fakes, so this is what makes a payload outside the
platforms' limits fail the test where it is produced."""

from __future__ import annotations

import discord
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Peerpath
from tests.adapters.discord.support import ORIGINAL_API, ORIGINAL_GATEWAY, running_bot
from tests.fakes.discord_api import CHANNEL_ID, FakeDiscord
from tests.fakes.slack_web_api import FakeSlack

EMOJI = "😀"


async def test_fake_slack_holds_the_bot_to_the_manifests_scopes() -> None:
    """A method whose scope the manifest does not ask for is refused, as real Slack would."""
    fake = FakeSlack(scopes=frozenset({"chat:write", "im:history"}))
    await fake.start()
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url + "/")
    await client.conversations_history(channel="D0ANN")  # im:history granted
    for channel in ("C0DIGEST", "G0PRIVATE"):
        with pytest.raises(SlackApiError) as refused:
            await client.conversations_history(channel=channel)
        assert refused.value.response["error"] == "missing_scope"
    with pytest.raises(AssertionError, match="missing_scope channels:history"):
        await fake.stop()


async def test_fake_slack_shows_a_channels_history_only_to_a_member() -> None:
    fake = FakeSlack()
    await fake.start()
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url + "/")
    await client.chat_postMessage(channel="C0DIGEST", text="t")  # chat:write.public
    with pytest.raises(SlackApiError) as refused:
        await client.conversations_history(channel="C0DIGEST")
    assert refused.value.response["error"] == "not_in_channel"
    await client.conversations_join(channel="C0DIGEST")
    await client.conversations_history(channel="C0DIGEST")
    await fake.stop()


async def test_fake_slack_refuses_blocks_over_a_limit_as_slack_counts_it() -> None:
    fake = FakeSlack()
    await fake.start()
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url + "/")
    header = {"type": "header", "text": {"type": "plain_text", "text": EMOJI * 76}}
    fine = {"type": "header", "text": {"type": "plain_text", "text": EMOJI * 75}}
    await client.chat_postMessage(channel="C1", text="t", blocks=[fine])  # 150 units: accepted
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C1", text="t", blocks=[header])  # 152 units
    assert refused.value.response["error"] == "invalid_blocks"
    button = {"type": "button", "text": {"type": "plain_text", "text": "x"}, "action_id": "a"}
    twice = {"type": "actions", "elements": [button, button]}
    with pytest.raises(SlackApiError) as view_refused:
        await client.views_publish(user_id="U1", view={"type": "home", "blocks": [twice]})
    assert view_refused.value.response["error"] == "invalid_arguments"
    with pytest.raises(AssertionError, match="Slack would have refused") as failed:
        await fake.stop()
    assert "header" in str(failed.value) and "action ids repeat" in str(failed.value)


async def test_fake_discord_refuses_an_embed_over_a_limit(app: Peerpath) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        async with running_bot(app, fake) as adapter:
            channel = adapter.client.get_partial_messageable(CHANNEL_ID)
            await channel.send(embed=discord.Embed(title=EMOJI * 256))  # 256 code points: fine
            with pytest.raises(discord.HTTPException) as refused:
                await channel.send(
                    embed=discord.Embed(description="d").add_field(name="n", value="v" * 1025)
                )
        assert (refused.value.status, refused.value.code) == (400, 50035)
        with pytest.raises(AssertionError, match="Discord would have refused") as failed:
            await fake.close()
        assert "field value is 1025 characters" in str(failed.value)
    finally:
        discord.http.Route.BASE = ORIGINAL_API
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = ORIGINAL_GATEWAY
