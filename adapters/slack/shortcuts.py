"""Slack's shortcuts as the core's: a message shortcut's message (its link, and who wrote
it) read into a :class:`Message`; which shortcut each callback id is comes from the
registry (``Registry.shortcuts``), as the manifest's list does."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.answers import Answers
from adapters.slack.followups import Owed
from adapters.slack.installs import Clients
from adapters.slack.people import People
from bot.app import Peerpath
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


async def answer(
    body: dict[str, Any], core: Peerpath, people: People, clients: Clients, answers: Answers
) -> None:
    """Ask the core what the shortcut opens, with the message it was used on: a form, or
    an answer where the shortcut was used (in the member's DM for a global one)."""
    channel_id = (body.get("channel") or {}).get("id")
    # No receipt: opening a form stores nothing, and its submission has its own.
    invocation = await people.interaction(body, None, channel_id)
    client = await clients.for_team(invocation.workspace_id)
    message = await message_of(client, body)
    reply = await core.shortcut(invocation, body["callback_id"], message)
    url = body.get("response_url") or ""
    if reply.form is not None and not reply.is_error:
        await answers.open_form(invocation, body["trigger_id"], reply.form, channel_id or "", url)
    elif url:
        await answers.answer(Owed(None), invocation, reply, url)
    else:
        await answers.direct(invocation, reply)
