"""The Discord adapter end to end: real discord.py, real core and database, fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import discord
import pytest

from bot.app import Peerpath
from tests.discord_support import (
    ORIGINAL_API,
    ORIGINAL_GATEWAY,
    embed_of,
    running_bot,
    slash,
)
from tests.fakes.discord_api import APPLICATION_ID, GUILD_ID, FakeDiscord

COMMANDS = rf"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"


@pytest.fixture(autouse=True)
def restore_endpoints() -> Iterator[None]:
    """discord.py keeps its URLs on classes; put them back for whatever runs next."""
    yield
    discord.http.Route.BASE = ORIGINAL_API
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = ORIGINAL_GATEWAY


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


async def test_smoke(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake):
        event = await fake.interact(slash("pending"))
        call = await fake.response_to(event)
        assert call.json["type"] == 4
        embed_of(call.json["data"])
