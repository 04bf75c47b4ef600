"""Slack's shortcuts as the core's: a message shortcut's message (its link, and who wrote
it) read into a :class:`Message`; which shortcut each callback id is comes from the
registry (``Registry.shortcuts``), as the manifest's list does."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.registry import Message

log = logging.getLogger("peerpath.slack")
SLACKBOT = "USLACKBOT"


async def message_of(client: AsyncWebClient, body: dict[str, Any]) -> Message | None:
    """The message a message shortcut was used on; None for a global shortcut. Its link and
    author are conveniences for the form: when Slack will not give them, the form opens
    without them."""
    message = body.get("message")
    if not isinstance(message, dict):
        return None
    channel = (body.get("channel") or {}).get("id")
    link = None
    try:
        if channel and message.get("ts"):
            link = (await client.chat_getPermalink(channel=channel, message_ts=message["ts"]))[
                "permalink"
            ]
    except SlackApiError as error:
        log.warning("slack: no link for a shortcut's message: %s", error.response.get("error"))
    author = message.get("user")
    if not author or message.get("bot_id"):  # an app's or a bot's message
        return Message(link=link)
    try:
        user = (await client.users_info(user=author))["user"]
    except SlackApiError as error:
        log.warning("slack: no author for a shortcut's message: %s", error.response.get("error"))
        return Message(link=link, author_id=author)
    team = (body.get("team") or {}).get("id")
    person = not (
        user.get("is_bot")
        or user.get("is_app_user")
        or user.get("deleted")
        or user.get("is_stranger")
        or author == SLACKBOT
        or (team and user.get("team_id") not in (None, team))
    )
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name") or ""
    return Message(link=link, author_id=author, author_name=name, author_is_person=person)
