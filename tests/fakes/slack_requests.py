"""Slack's side of the conversation: signed requests posted into the running app.

Payloads follow the shapes Slack documents for slash commands, block_actions,
view_submission and the Events API; each carries a fresh trigger id and
response_url unless a test reuses one (to model a retried delivery).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_web_api import TEAM_ID, FakeSlack

SIGNING_SECRET = "test-signing-secret"
ANN = "U0ANN"
CHANNEL = "C0GENERAL"


@dataclass
class Sent:
    """What Slack got back from the app, and where the app should answer later."""

    status: int
    body: str
    response_url: str
    trigger_id: str


class SlackSide:
    """Posts signed requests to the app's ``/slack/events`` the way Slack does."""

    def __init__(self, fake: FakeSlack, events_url: str, secret: str = SIGNING_SECRET) -> None:
        self.fake = fake
        self.events_url = events_url
        self.signer = SignatureVerifier(secret)

    async def post(
        self,
        body: str,
        content_type: str = "application/x-www-form-urlencoded",
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        retry: int | None = None,
    ) -> tuple[int, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature
            or self.signer.generate_signature(timestamp=stamp, body=body),
        }
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.events_url, data=body.encode(), headers=headers) as response,
        ):
            return response.status, await response.text()

    @staticmethod
    def command_body(
        command: str,
        text: str = "",
        user: str = ANN,
        channel: str = CHANNEL,
        team: str = TEAM_ID,
        **ids: str,
    ) -> dict[str, str]:
        return {
            "token": "deprecated",
            "team_id": team,
            "team_domain": "acme" if team == TEAM_ID else team.lower(),
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": f"/{command}",
            "text": text,
            "api_app_id": "A0PEERPATH",
            "is_enterprise_install": "false",
            "response_url": ids["response_url"],
            "trigger_id": ids["trigger_id"],
        }

    async def command(self, command: str, text: str = "", user: str = ANN, **kwargs: Any) -> Sent:
        """``/command text`` typed by ``user`` (in ``team`` and ``channel`` when given);
        reuse ``trigger_id``/``response_url`` to retry."""
        response_url = kwargs.pop("response_url", None) or self.fake.response_url()
        trigger_id = kwargs.pop("trigger_id", None) or new_trigger()
        where = {key: kwargs.pop(key) for key in ("team", "channel") if key in kwargs}
        body = self.command_body(
            command, text, user, response_url=response_url, trigger_id=trigger_id, **where
        )
        status, reply = await self.post(urlencode(body), **kwargs)
        return Sent(status, reply, response_url, trigger_id)

    async def interact(self, payload: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        """An interactivity request: ``payload=<json>`` as a form field."""
        return await self.post(urlencode({"payload": json.dumps(payload)}), **kwargs)

    async def click(
        self, action_id: str, user: str = ANN, channel: str = CHANNEL, **container: Any
    ) -> Sent:
        """A button press on an ephemeral reply (``container`` overrides, e.g. a Home tab view)."""
        response_url = self.fake.response_url()
        trigger_id = new_trigger()
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID, "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0PEERPATH",
            "trigger_id": trigger_id,
            "container": container
            or {
                "type": "message",
                "message_ts": "1.0",
                "channel_id": channel,
                "is_ephemeral": True,
            },
            "channel": {"id": channel, "name": "general"},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": action_id,
                    "text": {"type": "plain_text", "text": "x"},
                    "action_ts": "2.0",
                }
            ],
        }
        if container.get("type") == "view":
            del payload["channel"], payload["response_url"]
        status, body = await self.interact(payload)
        return Sent(status, body, response_url, trigger_id)

    async def shortcut(
        self,
        callback_id: str,
        message: dict[str, Any] | None = None,
        user: str = ANN,
        channel: str = CHANNEL,
    ) -> Sent:
        """A shortcut used by ``user``: a message shortcut on ``message`` (posted in
        ``channel``), or a global shortcut when there is no message — which, as on Slack,
        comes without a channel or a response_url."""
        response_url = self.fake.response_url()
        trigger_id = new_trigger()
        payload: dict[str, Any] = {
            "type": "shortcut",
            "token": "deprecated",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": TEAM_ID, "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
            "is_enterprise_install": False,
            "callback_id": callback_id,
            "trigger_id": trigger_id,
        }
        if message is not None:
            payload |= {
                "type": "message_action",
                "channel": {"id": channel, "name": "general"},
                "message": {"type": "message", "ts": "1733000000.000100", **message},
                "message_ts": message.get("ts", "1733000000.000100"),
                "response_url": response_url,
            }
        status, body = await self.interact(payload)
        return Sent(status, body, response_url, trigger_id)

    async def submit(
        self, view: dict[str, Any], values: dict[str, Any], user: str = ANN, view_id: str = ""
    ) -> tuple[int, str]:
        """Submit the modal ``view`` (as the app opened it) with ``values`` per block."""
        return await self.interact(self.submission(view, values, user, view_id))

    @staticmethod
    def submission(
        view: dict[str, Any], values: dict[str, Any], user: str = ANN, view_id: str = ""
    ) -> dict[str, Any]:
        """A view_submission payload for ``view`` filled in with ``values``."""
        state = {name: {name: value} for name, value in values.items()}
        return {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0PEERPATH",
            "trigger_id": new_trigger(),
            "view": {
                **view,
                "id": view_id or "V" + uuid.uuid4().hex[:8].upper(),
                "team_id": TEAM_ID,
                "state": {"values": state},
                "hash": "h1",
            },
        }

    async def event(
        self, event: dict[str, Any], event_id: str = "", team: str = TEAM_ID, **kwargs: Any
    ) -> int:
        body = {
            "token": "deprecated",
            "team_id": team,
            "api_app_id": "A0PEERPATH",
            "type": "event_callback",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:8],
            "event_time": int(time.time()),
            "event": event,
        }
        status, _ = await self.post(json.dumps(body), "application/json", **kwargs)
        return status


def new_trigger() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"


def typed(value: str) -> dict[str, str]:
    return {"type": "plain_text_input", "value": value}


def picked_date(value: str) -> dict[str, str]:
    return {"type": "datepicker", "selected_date": value}


def selected(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def run_env(fake: FakeSlack, database_url: str, **settings: str) -> dict[str, str]:
    """The environment for a ``peerpath run`` subprocess in Slack HTTP mode against ``fake``:
    this machine's environment without any peerpath, Slack or Discord settings, plus these."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "PEERPATH_", "DATABASE_"))
    }
    return env | {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "PEERPATH_HOST": "127.0.0.1",
        "PEERPATH_PORT": "0",
        "DATABASE_URL": database_url,
        **settings,
    }
