"""Answers to Slack requests: the core's reply rendered, posted to its response_url,
files through the member's DM, and the App Home tab kept current.

An answer is rendered to JSON before it is posted, and the follow-up's
:class:`Owed` holds that JSON until the post is done: a process stopped in
between hands the answer itself over, not the request (which would run again).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import fallback_text, home_view, reply_blocks
from adapters.slack.followups import Owed
from adapters.slack.notifier import SlackNotifier
from bot.app import Peerpath
from bot.invocation import Invocation
from bot.replies import Reply

log = logging.getLogger("peerpath.slack")


class Answers:
    """Posts the core's replies for one Slack app."""

    def __init__(self, core: Peerpath, client: AsyncWebClient, notifier: SlackNotifier) -> None:
        self.core = core
        self.client = client
        self.notifier = notifier

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
                channel = invocation.channel_id if public else None
                channel = channel or await self.notifier.dm_channel(invocation.user_id)
                await self.notifier.upload(channel, item)
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
            await self.publish_home(invocation)

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

    async def publish_home(self, invocation: Invocation, notice: Reply | None = None) -> None:
        """Keep the member's App Home tab current with what the core says is waiting."""
        home = await self.core.home(replace(invocation, request_id=None))
        if home.is_error:  # keep the last good Home rather than show a passing outage
            return
        await self.client.views_publish(user_id=invocation.user_id, view=home_view(home, notice))
