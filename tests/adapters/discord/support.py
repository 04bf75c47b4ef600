"""Running the real Discord adapter against the fake Discord, and checking what it sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import yarl

from adapters.discord.adapter import DiscordAdapter, build
from bot.app import Peerpath
from bot.config import Settings
from tests.fakes.discord_api import CHANNEL_ID, GUILD_ID, FakeDiscord, guild_interaction
from tests.fakes.discord_limits import message_problems

NEVER_DEFER = 60.0
ORIGINAL_API = discord.http.Route.BASE
ORIGINAL_GATEWAY: yarl.URL = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def settings_for(fake: FakeDiscord, guild: int | None = GUILD_ID) -> Settings:
    return Settings(
        DISCORD_TOKEN="test-token",
        DISCORD_GUILD_ID=guild,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
    )


@asynccontextmanager
async def running_bot(
    app: Peerpath, fake: FakeDiscord, guild: int | None = GUILD_ID, **options: Any
) -> AsyncIterator[DiscordAdapter]:
    """A started adapter (logged in, synced, READY); stopped afterwards.

    Replies are never deferred unless a test asks (``defer_after=0``), so whether a
    test sees a direct answer or a deferral does not depend on the machine's speed.
    """
    options.setdefault("defer_after", NEVER_DEFER)
    adapter = build(app, settings_for(fake, guild), guild_ready_timeout=0, **options)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


def slash(
    name: str, user: str = "111", admin: bool = False, interaction_id: int | None = None, **options
) -> dict[str, Any]:
    """A chat-input command interaction with the given option values."""
    data = {
        "name": name,
        "type": 1,
        "options": [{"name": k, "type": _type(v), "value": v} for k, v in options.items()],
    }
    return guild_interaction(user, 2, data, admin=admin, interaction_id=interaction_id)


def slash_with_file(
    name: str, option: str, attachment: dict[str, Any], user: str = "111"
) -> dict[str, Any]:
    """A chat-input command whose ``option`` is a file the member attached
    (see ``FakeDiscord.attach``): its value is the attachment's id, resolved in the data."""
    data = {
        "name": name,
        "type": 1,
        "options": [{"name": option, "type": 11, "value": attachment["id"]}],
        "resolved": {"attachments": {attachment["id"]: attachment}},
    }
    return guild_interaction(user, 2, data)


def button_press(
    fake: FakeDiscord, message: dict[str, Any], custom_id: str, user: str = "111"
) -> dict[str, Any]:
    """A press of ``custom_id`` on a server-channel message whose payload was ``message``."""
    data = {"custom_id": custom_id, "component_type": 2}
    return guild_interaction(user, 3, data, message=fake.message(CHANNEL_ID, message))


def _type(value: Any) -> int:
    return 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3


def embed_of(body: dict[str, Any]) -> dict[str, Any]:
    """The single embed of a message's data, checked against Discord's limits (as the fake
    checks every message it receives)."""
    embeds = body["embeds"]
    assert len(embeds) == 1
    assert message_problems(body) == []
    return embeds[0]


def button_ids(body: dict[str, Any]) -> list[str]:
    """Every button custom_id in a message's components, in order."""
    assert message_problems(body) == []
    rows = body.get("components") or []
    return [button["custom_id"] for row in rows for button in row["components"]]
