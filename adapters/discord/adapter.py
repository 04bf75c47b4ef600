"""Discord's wiring: point discord.py at its endpoints, connect and stop the client,
deliver nudges, and the invite link — what ``peerpath run`` and ``peerpath discord-invite``
need around :class:`adapters.discord.client.PeerpathClient`, which does the translating.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlencode

import discord
import yarl

from adapters.discord.client import PLATFORM, PeerpathClient, ShardedPeerpathClient
from adapters.discord.connecting import check_token
from adapters.discord.notifier import DiscordNotifier
from adapters.http import OpsServer
from bot.app import Peerpath
from bot.config import Settings

log = logging.getLogger("peerpath.discord")

INVITE_SCOPES = ("bot", "applications.commands")
# Posting digests and leaderboards to a channel: see it, write in it, embed, attach charts.
# Interaction replies and DMs need no server permission.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, attach_files=True
)


def point_at(settings: Settings) -> None:
    """Aim discord.py at ``DISCORD_API_URL``/``DISCORD_GATEWAY_URL`` (proxies, tests).

    discord.py reads both from class attributes, for every client in the process,
    so this must run before login. discord.py is pinned to a minor version: if a
    release moves these attributes, the adapter tests fail rather than silently
    talking to the real Discord.
    """
    if settings.discord_api_url:
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class DiscordAdapter:
    """``peerpath run``'s handle on Discord: connect, serve, and deliver nudges."""

    platform = PLATFORM

    def __init__(self, settings: Settings, client: PeerpathClient) -> None:
        self.settings = settings
        self.client = client
        self.notifier = DiscordNotifier(client)
        self._connection: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in, sync commands if they changed, connect, and return once READY. A refused
        token raises ``bot.startup.ConfigurationError``; Discord out of reach, ``Unreachable``
        (asked first, with a request of its own: a discord.py client whose login failed
        cannot log in again)."""
        assert self.settings.discord_token, "the Discord adapter needs DISCORD_TOKEN"
        point_at(self.settings)
        await check_token(discord.http.Route.BASE, self.settings.discord_token)
        try:
            await self.client.login(self.settings.discord_token)
            self._connection = asyncio.create_task(self.client.connect())
            ready = asyncio.create_task(self.client.wait_until_ready())
            done, _ = await asyncio.wait(
                {self._connection, ready}, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
                self._connection.result()  # the connection ended before READY: raise why
        except BaseException:
            await self.client.close()
            raise

    def connected(self) -> bool:
        """Logged in and receiving gateway events (every shard READY)."""
        return self.client.is_ready() and not self.client.is_closed()

    async def stop(self, within: float = 5.0) -> None:
        """Close the gateway. ``within`` is not needed here: an interaction not yet answered
        is Discord's to fail, and it tells the member (one deferred and not yet followed up
        is not handed over to the next start)."""
        await self.client.close()
        if self._connection is not None:
            try:
                await self._connection
            except Exception:  # already over; say why, but let the other adapters stop too
                log.exception("the Discord connection had failed")


def build(
    app: Peerpath, settings: Settings, server: OpsServer | None = None, **client_options: Any
) -> DiscordAdapter:
    """The adapter ``peerpath run`` starts when ``DISCORD_TOKEN`` is set; ``server``'s
    readiness then includes the gateway connection."""
    shards = settings.discord_shards()
    if shards is None:
        client = PeerpathClient(app, settings.discord_guild_id, **client_options)
    else:
        count, ids = shards
        client = ShardedPeerpathClient(
            app, settings.discord_guild_id, shard_count=count, shard_ids=ids, **client_options
        )
    adapter = DiscordAdapter(settings, client)
    if server is not None:
        server.check(PLATFORM, adapter.connected)
    return adapter


def invite_url(application_id: int) -> str:
    """The OAuth2 link that adds the bot to a server with exactly what it needs."""
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES
    )


def personal_install_url(application_id: int) -> str:
    """The link that installs the app to a member's own account (Discord's user install,
    ``integration_type=1``): its commands then work from their DMs and from any server."""
    query = urlencode(
        {"client_id": application_id, "integration_type": 1, "scope": "applications.commands"}
    )
    return f"https://discord.com/oauth2/authorize?{query}"


async def application_id(settings: Settings) -> int:
    """``DISCORD_APPLICATION_ID``, or the id of the application the token belongs to.

    Raises ValueError with a message for people when neither gets an id.
    """
    if settings.discord_application_id:
        return settings.discord_application_id
    if not settings.discord_token:
        raise ValueError(
            "Set DISCORD_APPLICATION_ID (General Information page of your Discord application) "
            "or DISCORD_TOKEN, e.g. DISCORD_APPLICATION_ID=123456789012345678"
        )
    point_at(settings)
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(settings.discord_token)
        return int((await http.application_info())["id"])
    except discord.LoginFailure:
        raise ValueError("Discord refused DISCORD_TOKEN; copy the bot token again.") from None
    finally:
        await http.close()
