"""Delivering nudges on Discord: DMs and channel posts, paced, with failures classified.

Discord allows a bot 50 requests a second in all, and bots that burst DMs get
flagged, so every delivery request waits its turn in a small rate limiter.
discord.py itself waits out 429s (honouring ``retry_after``); what remains is
sorted into "stop trying" (closed DMs, missing access) and "try later" for the
scheduler's outbox. A 429 is never "stop trying", whatever headers came with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

import aiohttp
import discord

from adapters.discord.render import render
from bot.ports import DeliveryFailed
from bot.replies import Reply

DELIVERY_RATE = 40.0  # requests per second: under the global 50, leaving room for replies
CANNOT_DM = 50007  # Discord's "Cannot send messages to this user"


class RateLimiter:
    """At most ``rate`` acquisitions per second, evenly spaced, shared by all callers."""

    def __init__(
        self,
        rate: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self.monotonic = monotonic
        self.sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self.monotonic()
            if self._next > now:
                await self.sleep(self._next - now)
            self._next = max(now, self._next) + self.interval


class DiscordNotifier:
    """The scheduler's :class:`~bot.ports.Notifier` for Discord."""

    platform = "discord"

    def __init__(self, client: discord.Client, limiter: RateLimiter | None = None) -> None:
        self.client = client
        self.limiter = limiter or RateLimiter(DELIVERY_RATE)

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        """Open (or reuse) the DM channel and send; its buttons remember the server."""
        rendered = render(reply, dm_guild_id=int(workspace_id))
        async with _classified(f"DM to user {user_id}"):
            await self.limiter.acquire()
            channel = await self.client.create_dm(discord.Object(int(user_id)))
            await self.limiter.acquire()
            await channel.send(**rendered.for_send(), **_nonce(keys))

    async def post_channel(
        self, workspace_id: str, channel_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        """Post publicly in a server channel (digests, leaderboards)."""
        rendered = render(reply)
        async with _classified(f"post to channel {channel_id}"):
            await self.limiter.acquire()
            channel = self.client.get_partial_messageable(int(channel_id))
            await channel.send(**rendered.for_send(), **_nonce(keys))

    async def was_delivered(self, workspace_id: str, target_id: str, key: str) -> bool:
        """Discord keeps no searchable record of a nonce; a resend within minutes is
        de-duplicated by Discord itself (``enforce_nonce``), so report "unknown"."""
        return False


def _nonce(keys: Sequence[str]) -> dict[str, str]:
    """A nonce from the nudge keys: Discord drops a second send with the same one
    (discord.py sets ``enforce_nonce``), which covers a resend after a crash."""
    if not keys:
        return {}
    return {"nonce": hashlib.sha256("|".join(keys).encode()).hexdigest()[:25]}


@asynccontextmanager
async def _classified(what: str) -> AsyncIterator[None]:
    """Turns discord.py and network errors into :class:`DeliveryFailed`."""
    try:
        yield
    except discord.RateLimited as error:  # a wait longer than the client will sit out
        raise DeliveryFailed(
            f"{what}: rate limited", retry_after=error.retry_after, rate_limited=True
        ) from error
    except discord.DiscordServerError as error:
        raise DeliveryFailed(f"{what}: Discord error {error.status}") from error
    except discord.HTTPException as error:
        if error.status == 429:  # without Discord's headers discord.py gives up at once
            raise DeliveryFailed(
                f"{what}: rate limited", retry_after=_retry_after(error), rate_limited=True
            ) from error
        # 403 (50007: the member closed their DMs; 50001: no access), 404, or a payload
        # Discord rejects: sending the same thing again cannot succeed.
        reason = "closed DMs" if error.code == CANNOT_DM else error.text or "rejected"
        raise DeliveryFailed(
            f"{what}: {reason} ({error.status}/{error.code})", permanent=True
        ) from error
    except (TimeoutError, aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as error:
        # Maybe sent: the retry carries the same nonce, which Discord de-duplicates.
        raise DeliveryFailed(f"{what}: no answer {error!r}", in_doubt=True) from error
    except (aiohttp.ClientError, OSError) as error:
        raise DeliveryFailed(f"{what}: network error {error!r}") from error


def _retry_after(error: discord.HTTPException) -> float | None:
    """The wait a 429 asked for in its ``Retry-After`` header (discord.py keeps no body
    here), else None: the outbox then waits its default."""
    headers = getattr(error.response, "headers", None) or {}
    try:
        return max(0.0, float(headers["Retry-After"]))
    except (KeyError, TypeError, ValueError):
        return None
