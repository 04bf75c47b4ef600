"""Answers to Slack requests: the core's reply rendered, posted to its response_url,
files through the member's DM, and the App Home tab kept current.

The App Home tab is re-rendered after a command changes something, but at most
once per member every :data:`HOME_REFRESH_SECONDS`: a burst of commands costs one
``views.publish`` now and one at the end of the window (so Home shows the last
change), not one overview query and publish per command. Opening the tab and
pressing its buttons always publish at once.

An answer is rendered to JSON before it is posted, and the follow-up's
:class:`Owed` holds that JSON until the post is done: a process stopped in
between hands the answer itself over, not the request (which would run again).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import command_modal, fallback_text, home_view, reply_blocks
from adapters.slack.followups import Owed
from adapters.slack.installs import Clients
from adapters.slack.notifier import SlackNotifier
from bot.app import Peerpath
from bot.invocation import Invocation
from bot.ports import DeliveryFailed
from bot.replies import Form, Reply

log = logging.getLogger("peerpath.slack")
HOME_REFRESH_SECONDS = 5.0


class Answers:
    """Posts the core's replies for one Slack app."""

    def __init__(
        self,
        core: Peerpath,
        clients: Clients,
        notifier: SlackNotifier,
        home_interval: float = HOME_REFRESH_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.core = core
        self.clients = clients
        self.notifier = notifier
        self.home_interval = home_interval
        self._monotonic = monotonic
        self._published: dict[str, float] = {}  # user id → when their Home was last published
        self._trailing: dict[str, asyncio.Task[None]] = {}  # a refresh waiting out the window

    async def answer(
        self,
        owed: Owed,
        invocation: Invocation,
        reply: Reply,
        url: str,
        replace_original: bool | None = None,
    ) -> None:
        """Reply where the member asked (privately unless public), files via their DM."""
        message: dict[str, Any] = {
            "text": fallback_text(reply),
            "blocks": [block.to_dict() for block in reply_blocks(reply)],
            "response_type": "ephemeral" if reply.ephemeral else "in_channel",
        }
        if replace_original is not None:
            message["replace_original"] = replace_original
        owed.job = {"kind": "answer", "response_url": url, "message": message}
        await self.deliver(owed)
        for item in (reply.image, reply.attachment):
            if item is None:
                continue
            public = item is reply.image and not reply.ephemeral and invocation.channel_id
            try:
                team, channel = invocation.workspace_id, invocation.channel_id if public else None
                channel = channel or await self.notifier.dm_channel(team, invocation.user_id)
                await self.notifier.upload(team, channel, item)
            except SlackApiError as error:
                code = error.response.get("error")
                log.warning("slack refused %s: %s", item.filename, code)
                refused = {
                    "text": f"Slack refused the file {item.filename} ({code}); nothing else was "
                    "affected. In a channel, invite peerpath with /invite @peerpath.",
                    "response_type": "ephemeral",
                }
                await AsyncWebhookClient(url).send_dict(refused)
        if not reply.is_error:
            await self.refresh_home(invocation)

    async def answer_form(
        self, owed: Owed, invocation: Invocation, reply: Reply, metadata: dict[str, Any]
    ) -> None:
        """Answer a submitted form where it was opened (its ``metadata``): the conversation
        (its response_url), the App Home tab, or — from a global shortcut, which has
        neither — the member's DM."""
        if metadata.get("response_url"):
            await self.answer(owed, invocation, reply, metadata["response_url"])
            return
        owed.job = None  # nothing to hand over: Home is rebuilt when opened, DMs are sent now
        if metadata.get("home"):
            await self.publish_home(invocation, notice=reply)
        else:
            await self.direct(invocation, reply)

    async def open_form(
        self,
        invocation: Invocation,
        trigger_id: str,
        form: Form,
        channel: str,
        response_url: str | None,
        home: bool = False,
    ) -> None:
        """Open a reply that is a form (an Edit button, a shortcut): its submission runs
        its command and answers where it was opened from (``answer_form``)."""
        command = self.core.registry.submitted(form.command)
        assert command is not None  # the core names only its own commands
        metadata: dict[str, Any] = {"channel": channel, "response_url": response_url or ""}
        if home:
            metadata["home"] = True
        client = await self.clients.for_team(invocation.workspace_id)
        await client.views_open(trigger_id=trigger_id, view=command_modal(command, metadata, form))

    async def direct(self, invocation: Invocation, reply: Reply) -> None:
        """Answer in the member's DM with the app, where a request left no response_url
        (a form opened from a global shortcut); then Home, as after any answer. When the DM
        cannot be sent, the answer is shown on Home instead, so the member is never left
        without one."""
        try:
            await self.notifier.send_dm(invocation.workspace_id, invocation.user_id, reply)
        except DeliveryFailed as error:
            log.warning("slack: an answer could not be sent as a DM, shown on Home: %s", error)
            await self.publish_home(invocation, notice=reply)
            return
        if not reply.is_error:
            await self.refresh_home(invocation)

    async def deliver(self, owed: Owed) -> None:
        """Post the answer ``owed`` holds to its response_url; then nothing is owed. Slack
        keeps a response_url for 30 minutes; one it no longer takes (or a forged one that
        leads nowhere) is logged by its status, never by its address."""
        job = owed.job
        assert job is not None and job["kind"] == "answer"
        try:
            response = await AsyncWebhookClient(job["response_url"]).send_dict(job["message"])
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
            owed.job = None
            log.warning("slack: an answer could not be posted: %s", type(error).__name__)
            return
        owed.job = None
        if response.status_code != 200:
            log.warning("slack: a response_url answered %s", response.status_code)

    async def refresh_home(self, invocation: Invocation) -> None:
        """Bring Home up to date after a command: now, unless it was published within the
        window — then once, when the window ends."""
        user = invocation.user_id
        wait = self._published.get(user, -self.home_interval) + self.home_interval
        wait -= self._monotonic()
        if wait <= 0:
            await self.publish_home(invocation)
        elif user not in self._trailing:
            self._trailing[user] = asyncio.create_task(self._publish_later(invocation, wait))

    async def _publish_later(self, invocation: Invocation, wait: float) -> None:
        try:
            await asyncio.sleep(wait)
            await self.publish_home(invocation)
        except Exception as error:  # Home is a convenience: the next command refreshes it
            log.warning("slack: App Home not refreshed: %s", type(error).__name__)
        finally:
            self._trailing.pop(invocation.user_id, None)

    async def settle(self) -> None:
        """Wait for the refreshes still waiting out their window."""
        while self._trailing:
            await asyncio.gather(*self._trailing.values(), return_exceptions=True)

    def close(self) -> None:
        """Drop the waiting refreshes (at shutdown; Home is rebuilt when next opened)."""
        for task in self._trailing.values():
            task.cancel()

    async def publish_home(self, invocation: Invocation, notice: Reply | None = None) -> None:
        """Keep the member's App Home tab current with what the core says is waiting."""
        self._published[invocation.user_id] = self._monotonic()
        if len(self._published) > 10_000:  # forget members whose window is long over
            horizon = self._monotonic() - self.home_interval
            self._published = {u: t for u, t in self._published.items() if t > horizon}
        home = await self.core.home(replace(invocation, request_id=None))
        if home.is_error:  # keep the last good Home rather than show a passing outage
            return
        client = await self.clients.for_team(invocation.workspace_id)
        await client.views_publish(user_id=invocation.user_id, view=home_view(home, notice))
