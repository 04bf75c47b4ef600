"""One workspace's token (``SLACK_BOT_TOKEN``): requests from any other team are refused
at the way in, before anything is read or written.

A signed request can still come from another team (an app shared through Slack Connect,
or one distributed by mistake). peerpath cannot speak there — its token belongs to its own
team — so every kind of request is refused in one place, the first of bolt's middleware:
a command with one friendly line, a shortcut or button through its response_url when it
has one, anything else (events, form submissions) acknowledged and dropped. With many
workspaces (OAuth) bolt's own authorization does this, from the installations.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.installs import Clients

log = logging.getLogger("peerpath.slack")

ELSEWHERE = (
    "peerpath isn't installed in your Slack workspace, so it can't do anything here. "
    "Ask an admin of your workspace to add it."
)
Middleware = Callable[
    [AsyncBoltRequest, BoltResponse, Callable[[], Awaitable[None]]], Awaitable[BoltResponse | None]
]


def only_our_team(clients: Clients) -> Middleware:
    """Bolt middleware passing on requests from ``clients``' own team alone (one token)."""

    async def middleware(
        req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        ours, team = clients.team_id, req.context.team_id
        if clients.per_team or ours is None or team in (None, ours):
            await next()
            return None
        log.info("slack: refused a request from another team")
        if req.body.get("command"):  # a slash command: the acknowledgement is its answer
            return BoltResponse(
                status=200,
                body={"response_type": "ephemeral", "text": ELSEWHERE},
                headers={"content-type": ["application/json;charset=utf-8"]},
            )
        url = req.body.get("response_url")
        if isinstance(url, str) and url:
            try:
                await AsyncWebhookClient(url).send(text=ELSEWHERE, response_type="ephemeral")
            except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
                log.info("slack: the refusal could not be answered: %s", type(error).__name__)
        return BoltResponse(status=200, body="")

    return middleware
