"""Messages nobody asked for right now: the scheduler's DMs and channel posts on Slack.

``conversations.open`` then ``chat.postMessage``, paced to about one message a
second per channel (Slack's posting limit), with slack_sdk's rate-limit retry
handler on the client, each as the bot of the team it goes to (``installs``).
Whatever still fails becomes :class:`DeliveryFailed`, permanent when sending again
cannot help, so the outbox knows whether to retry; a team peerpath is no longer
installed in is ``uninstalled``, and none of its members' DMs count as closed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import fallback_text, reply_blocks
from adapters.slack.installs import Clients, NotInstalled
from bot.ports import DeliveryFailed
from bot.replies import Attachment, Reply

log = logging.getLogger("peerpath.slack")

PER_CHANNEL_INTERVAL = 1.0
HISTORY_CHECKED = 50  # recent messages searched for a nudge key after a crash
# Errors after which sending to that member or channel again cannot succeed.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "is_archived",
        "not_in_channel",
        "user_disabled",
    }
)
# Slack's answers to a token it no longer takes: with many workspaces, the app was
# removed (its installation may still be in another replica's memory for a minute).
TOKEN_GONE = frozenset({"invalid_auth", "token_revoked", "token_expired", "not_authed"})


class Pacer:
    """At most one message per ``interval`` seconds to each channel (Slack's posting limit)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last: dict[str, float] = {}

    async def send(self, channel: str, post: Callable[[], Awaitable[Any]]) -> Any:
        async with self._locks[channel]:
            wait = self._last.get(channel, -self.interval) + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await post()
            finally:
                self._last[channel] = time.monotonic()


def delivery_failed(error: SlackApiError, per_team: bool = False) -> DeliveryFailed:
    """Slack's error code, classified for the outbox: give up, or retry (after how long).
    A rate limit (``ratelimited``, or any 429, with or without ``Retry-After``) is always
    retried, never taken for a closed DM. With installations per team (``per_team``), a
    refused token means the app was removed there."""
    code = str(error.response.get("error", "unknown_error"))
    if per_team and code in TOKEN_GONE:
        return DeliveryFailed(f"slack: {code}", permanent=True, uninstalled=True)
    headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
    retry_after = _seconds(headers.get("retry-after"))
    rate_limited = code == "ratelimited" or error.response.status_code == 429
    return DeliveryFailed(
        f"slack: {code}",
        permanent=code in PERMANENT_ERRORS and not rate_limited,
        retry_after=retry_after,
        rate_limited=rate_limited,
    )


def _seconds(value: object) -> float | None:
    try:
        return max(0.0, float(value)) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class SlackNotifier:
    """DMs and channel posts for the scheduler, paced per channel, failures classified."""

    platform = "slack"

    def __init__(self, clients: Clients, interval: float = PER_CHANNEL_INTERVAL) -> None:
        self.clients = clients
        self.pacer = Pacer(interval)
        self._joined: set[tuple[str, str]] = set()  # public channels joined, by team
        self._unchecked: set[str] = set()  # why delivery checks failed, each logged once

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        await self._deliver(
            workspace_id, lambda: self._dm_then_post(workspace_id, user_id, reply, keys)
        )

    async def post_channel(
        self, workspace_id: str, channel_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        await self._deliver(
            workspace_id, lambda: self._join_then_post(workspace_id, channel_id, reply, keys)
        )

    async def was_delivered(self, workspace_id: str, target_id: str, key: str) -> bool | None:
        """Look for ``key`` in the metadata of the latest messages we posted there: after a
        crash between sending and recording, this tells whether to send again. None when
        Slack would not show the history (a scope or membership missing, an outage): the
        outbox must not take that for "not sent". Each reason is logged once; a team
        peerpath is no longer installed in raises :class:`DeliveryFailed` (``uninstalled``)."""
        client = await self._client(workspace_id)
        try:
            if target_id[:1] in ("C", "G", "D"):
                channel = target_id
                await self._join(workspace_id, channel)
            else:
                channel = await self.dm_channel(workspace_id, target_id)
            history = await client.conversations_history(
                channel=channel, limit=HISTORY_CHECKED, include_all_metadata=True
            )
        except NotInstalled as gone:
            raise DeliveryFailed(str(gone), permanent=True, uninstalled=True) from None
        except SlackApiError as error:
            failed = delivery_failed(error, self.clients.per_team)
            if failed.uninstalled:
                self.clients.token_refused(workspace_id)
                raise failed from error
            self._cannot_check(str(error.response.get("error", "unknown_error")))
            return None
        except (aiohttp.ClientError, TimeoutError) as error:
            self._cannot_check(type(error).__name__)
            return None
        return any(
            key in (m.get("metadata") or {}).get("event_payload", {}).get("keys", [])
            for m in history.get("messages", [])
        )

    def _cannot_check(self, why: str) -> None:
        if why not in self._unchecked:
            self._unchecked.add(why)
            log.warning("slack: cannot check whether a message went out (%s)", why)

    async def _client(self, team_id: str) -> AsyncWebClient:
        try:
            return await self.clients.for_team(team_id)
        except NotInstalled as gone:
            raise DeliveryFailed(str(gone), permanent=True, uninstalled=True) from None

    async def _join(self, team_id: str, channel: str) -> None:
        """Join a public channel once, so its history can be read after a crash (posting
        works without it, through ``chat:write.public``). A private channel needs an
        invitation; a failure here only costs that check, so it is logged, not raised."""
        if not channel.startswith("C") or (team_id, channel) in self._joined:
            return
        try:
            await (await self.clients.for_team(team_id)).conversations_join(channel=channel)
            self._joined.add((team_id, channel))
        except SlackApiError as error:
            self._cannot_check(f"join: {error.response.get('error', 'unknown_error')}")
        except (aiohttp.ClientError, TimeoutError) as error:
            self._cannot_check(f"join: {type(error).__name__}")

    async def dm_channel(self, team_id: str, user_id: str) -> str:
        """The member's DM with the bot of their team."""
        client = await self.clients.for_team(team_id)
        opened = await client.conversations_open(users=user_id)
        return opened["channel"]["id"]

    async def post(
        self, team_id: str, channel: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        """A message (and any file the reply carries) in ``channel``, at the channel's pace.
        The nudge keys travel as message metadata, so a delivery can be checked later."""
        metadata = {"event_type": "peerpath_nudge", "event_payload": {"keys": list(keys)}}
        client = await self.clients.for_team(team_id)
        await self.pacer.send(
            channel,
            lambda: client.chat_postMessage(
                channel=channel,
                text=fallback_text(reply),
                blocks=reply_blocks(reply),
                **({"metadata": metadata} if keys else {}),
            ),
        )
        for item in (reply.image, reply.attachment):
            if item is None:
                continue
            try:
                await self.upload(team_id, channel, item)
            except SlackApiError as error:
                # The message went out; failing the delivery now would make the outbox repeat it.
                log.warning("file %s not shared in %s: %s", item.filename, channel, error)

    async def upload(self, team_id: str, channel: str, item: Attachment) -> None:
        """Share a file in ``channel`` with the files v2 API."""
        client = await self.clients.for_team(team_id)
        await client.files_upload_v2(
            channel=channel, content=item.content, filename=item.filename, title=item.filename
        )

    async def _dm_then_post(
        self, team_id: str, user_id: str, reply: Reply, keys: Sequence[str]
    ) -> None:
        await self.post(team_id, await self.dm_channel(team_id, user_id), reply, keys)

    async def _join_then_post(
        self, team_id: str, channel: str, reply: Reply, keys: Sequence[str]
    ) -> None:
        await self._join(team_id, channel)
        await self.post(team_id, channel, reply, keys)

    async def _deliver(self, team_id: str, send: Callable[[], Awaitable[None]]) -> None:
        try:
            await send()
        except NotInstalled as gone:
            raise DeliveryFailed(str(gone), permanent=True, uninstalled=True) from None
        except SlackApiError as error:
            failed = delivery_failed(error, self.clients.per_team)
            if failed.uninstalled:
                self.clients.token_refused(team_id)
            raise failed from error
        except (TimeoutError, aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as error:
            # The request may have been read and acted on: the outbox asks before resending.
            raise DeliveryFailed(
                f"slack did not answer ({type(error).__name__})", in_doubt=True
            ) from error
        except aiohttp.ClientError as error:
            raise DeliveryFailed(f"slack unreachable: {error}") from error
