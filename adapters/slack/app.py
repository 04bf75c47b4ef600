"""Slack: slash commands, modals, buttons, the App Home tab and DMs, through slack-bolt.

The adapter translates and never decides: Slack payloads become
:class:`Invocation` s for the core, and the core's neutral replies become Block
Kit. Every listener acknowledges Slack first (within its 3 s window) and only
then touches the database — except a modal submission, whose field errors can
only travel in the acknowledgement; that one waits a bounded time for the core.
Bolt answers Slack when a listener returns (``process_before_response``), so each
listener acknowledges and hands the rest to a follow-up task: bolt's other mode runs
listeners in a task and polls every 10 ms for the acknowledgement, which cost every
request those 10 ms and, under a burst, a thousand polling loops.

Two ways in, one app: Socket Mode when ``SLACK_APP_TOKEN`` is set (no public
URL), otherwise HTTP at ``/slack/events`` on the process's operations server
(``adapters/http.py``, on ``PEERPATH_HOST:PEERPATH_PORT``), whose ``/readyz``
counts Slack ready once its traffic is being taken. HTTP mode keeps no state
between requests, so replicas can share one URL behind a load balancer.
Rendering lives in ``slack_blocks``, DMs for the scheduler in ``slack_notifier``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.http import OpsServer
from adapters.slack.blocks import (
    MODAL_CALLBACK,
    command_modal,
    fallback_text,
    home_view,
    modal_error,
    modal_values,
    reply_blocks,
)
from adapters.slack.notifier import PER_CHANNEL_INTERVAL, SlackNotifier
from bot.app import Peerpath
from bot.arguments import missing_required
from bot.config import Settings
from bot.invocation import Invocation
from bot.replies import Reply

log = logging.getLogger("peerpath.slack")

EVENTS_PATH = "/slack/events"
# Fields Slack sends with every slash command; without them it cannot be answered.
COMMAND_FIELDS = ("command", "team_id", "user_id", "response_url", "trigger_id")
DEFAULT_API_URL = "https://slack.com/api/"
# A modal's field errors must be in the acknowledgement, due within 3 s of the click.
SUBMIT_WAIT = 2.0


def api_base_url(url: str | None) -> str:
    """``SLACK_API_URL`` as slack_sdk wants it: with exactly one trailing slash."""
    return (url or DEFAULT_API_URL).rstrip("/") + "/"


class SlackAdapter:
    """One Slack workspace served over Socket Mode or HTTP."""

    platform = "slack"

    def __init__(
        self,
        core: Peerpath,
        settings: Settings,
        pace: float = PER_CHANNEL_INTERVAL,
        server: OpsServer | None = None,
    ) -> None:
        """``server`` is the process's operations server; without one the adapter runs its own."""
        if not settings.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        self.app_token = settings.slack_app_token
        if not self.app_token and not settings.slack_signing_secret:
            raise ValueError(
                "SLACK_SIGNING_SECRET is needed in HTTP mode (or set SLACK_APP_TOKEN for "
                "Socket Mode)"
            )
        self.core = core
        self.client = AsyncWebClient(
            token=settings.slack_bot_token, base_url=api_base_url(settings.slack_api_url)
        )
        self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        self.notifier = SlackNotifier(self.client, pace)
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            process_before_response=True,
        )
        self._following: set[asyncio.Task[None]] = set()
        self.ready = False
        self.submit_wait = SUBMIT_WAIT
        self._socket: AsyncSocketModeHandler | None = None
        self._owns_server = server is None
        self.server = server or OpsServer(core, settings.host, settings.port)
        self.server.check(self.platform, lambda: self.ready)
        if not self.app_token:
            self.server.route("POST", EVENTS_PATH, self._events)
        self._register()

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Learn our team, open the way in (socket or HTTP), then report healthy."""
        auth = await self.client.auth_test()
        self.notifier.team_id = auth["team_id"]
        if self.app_token:
            self._socket = AsyncSocketModeHandler(self.bolt, self.app_token, web_client=self.client)
            await self._socket.connect_async()
        if self._owns_server:
            await self.server.start()
        self.ready = True
        log.info(
            "slack: %s, health on %s:%s",
            "socket mode" if self.app_token else f"HTTP at {EVENTS_PATH}",
            self.server.host,
            self.server.port,
        )

    @property
    def port(self) -> int | None:
        """Where ``/slack/events`` and the health endpoints listen, once started."""
        return self.server.port

    async def stop(self) -> None:
        """Close the way in, then let acknowledged requests send their answers."""
        self.ready = False
        if self._socket is not None:
            await self._socket.close_async()
        if self._owns_server:
            await self.server.stop()
        if self._following:
            await asyncio.wait(self._following)

    def _follow_up(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Run ``work`` once the listener has returned and bolt has acknowledged Slack."""
        task = asyncio.ensure_future(self._logged(work, what))
        self._following.add(task)
        task.add_done_callback(self._following.discard)

    @staticmethod
    async def _logged(work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception:
            log.exception("slack: answering %s failed", what)

    async def _events(self, request: web.Request) -> web.Response:
        """Slash commands, interactivity and events: bolt verifies the signature and routes.

        Bolt parses the body before it checks the signature, and a body that is not the
        form or JSON it claims to be raises there: that is the sender's fault, a 400."""
        try:
            bolt_request = await to_bolt_request(request)
        # Bad JSON or text encoding (ValueError), or JSON that is not an object
        # (AttributeError: bolt reads it with ``.get``), in the body or its payload field.
        except (ValueError, AttributeError) as error:
            log.warning("slack: refused an unreadable request body: %s", error)
            return web.Response(status=400, text="unreadable body")
        problem = _misshapen(bolt_request.body)
        if problem is not None:
            log.warning("slack: refused a misshapen request body: %s", problem)
            return web.Response(status=400, text="misshapen body")
        response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    # -- listeners --------------------------------------------------------------------------

    def _register(self) -> None:
        self.bolt.middleware(_complete_commands)
        for command in self.core.registry:
            self.bolt.command(f"/{command.name}")(self._on_command)
        self.bolt.action(re.compile(r".+"))(self._on_action)
        self.bolt.view_submission(MODAL_CALLBACK)(self._on_submission)
        self.bolt.event("app_home_opened")(self._on_home_opened)

    async def _on_command(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        self._follow_up(self._command(body, respond), body["command"])

    async def _command(self, body: dict[str, Any], respond: Any) -> None:
        command = self.core.registry.get(body["command"])
        assert command is not None  # only registry commands are listened for
        text = body.get("text") or ""
        if not text.strip() and missing_required(command, {}):
            metadata = {"channel": body.get("channel_id", ""), "response_url": body["response_url"]}
            await self.client.views_open(
                trigger_id=body["trigger_id"], view=command_modal(command, metadata)
            )
            return
        invocation = await self._invocation(
            body["team_id"],
            body["user_id"],
            f"command:{body['trigger_id']}",
            user_name=body.get("user_name", ""),
            team_name=body.get("team_domain", ""),
            channel_id=body.get("channel_id"),
            channel_name=body.get("channel_name", ""),
            admin_check=command.admin_only,
        )
        reply = await self.core.run_text(invocation, command.name, text)
        await self._answer(invocation, reply, respond)

    async def _on_submission(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = json.loads(view["private_metadata"])
        command = self.core.registry.get(metadata["command"])
        if command is None:
            await ack()
            return
        invocation = await self._interaction(
            body, f"view:{view['id']}", metadata.get("channel") or None, command.admin_only
        )
        work = asyncio.ensure_future(
            self.core.run(invocation, command, modal_values(view["state"]["values"]))
        )
        send = AsyncWebhookClient(metadata["response_url"]).send
        try:
            reply = await asyncio.wait_for(asyncio.shield(work), self.submit_wait)
        except TimeoutError:
            await ack()  # close the form in time; the answer follows through response_url
            self._follow_up(self._answer_when_done(invocation, work, send), "a form")
            return
        if reply.is_error:
            await ack(response_action="errors", errors=modal_error(command, reply))
            return
        await ack()
        self._follow_up(self._answer(invocation, reply, send), "a form")

    async def _on_action(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        self._follow_up(self._press(body, respond), "a button")

    async def _press(self, body: dict[str, Any], respond: Any) -> None:
        channel_id = (body.get("channel") or {}).get("id")
        invocation = await self._interaction(body, f"action:{body['trigger_id']}", channel_id)
        reply = await self.core.press(invocation, body["actions"][0]["action_id"])
        container = body.get("container") or {}
        if container.get("type") == "view":  # a button on the App Home tab
            await self._publish_home(invocation, notice=reply)
            return
        # Replace a private message (ephemeral, or in a DM); answer privately under a public one.
        private = container.get("is_ephemeral") or str(invocation.channel_id).startswith("D")
        await self._answer(
            invocation, reply, lambda **kw: respond(replace_original=bool(private), **kw)
        )

    async def _on_home_opened(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if event.get("tab") == "home":
            self._follow_up(self._open_home(body["team_id"], event["user"]), "App Home")

    async def _open_home(self, team_id: str, user_id: str) -> None:
        await self._publish_home(await self._invocation(team_id, user_id, None))

    # -- translation helpers ----------------------------------------------------------------

    async def _invocation(
        self,
        team_id: str,
        user_id: str,
        request_id: str | None,
        *,
        user_name: str = "",
        team_name: str = "",
        channel_id: str | None = None,
        channel_name: str = "",
        admin_check: bool = False,
    ) -> Invocation:
        return Invocation(
            platform=self.platform,
            workspace_id=team_id,
            user_id=user_id,
            user_name=user_name,
            workspace_name=team_name,
            channel_id=channel_id,
            channel_name=channel_name,
            is_admin=admin_check and await self._is_admin(user_id),
            request_id=request_id and _request_key(request_id),
        )

    async def _interaction(
        self,
        body: dict[str, Any],
        request_id: str,
        channel_id: str | None,
        admin_check: bool = False,
    ) -> Invocation:
        """Who pressed a button or submitted a form (both payloads carry ``user`` and ``team``)."""
        user = body["user"]
        return await self._invocation(
            (body.get("team") or {}).get("id") or user["team_id"],
            user["id"],
            request_id,
            user_name=user.get("username") or user.get("name", ""),
            channel_id=channel_id,
            admin_check=admin_check,
        )

    async def _is_admin(self, user_id: str) -> bool:
        """Slack's own workspace role decides who is an admin."""
        user = (await self.client.users_info(user=user_id))["user"]
        return bool(user.get("is_admin") or user.get("is_owner"))

    async def _answer(
        self, invocation: Invocation, reply: Reply, send: Callable[..., Awaitable[Any]]
    ) -> None:
        """Reply where the member asked (privately unless public), files via their DM."""
        await send(
            text=fallback_text(reply),
            blocks=reply_blocks(reply),
            response_type="ephemeral" if reply.ephemeral else "in_channel",
        )
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
                await send(
                    text=f"Slack refused the file {item.filename} ({code}); nothing else was "
                    "affected. In a channel, invite peerpath with /invite @peerpath.",
                    response_type="ephemeral",
                )
        if not reply.is_error:
            await self._publish_home(invocation)

    async def _answer_when_done(
        self, invocation: Invocation, work: Awaitable[Reply], send: Callable[..., Awaitable[Any]]
    ) -> None:
        await self._answer(invocation, await work, send)

    async def _publish_home(self, invocation: Invocation, notice: Reply | None = None) -> None:
        """Keep the member's App Home tab current with what the core says is waiting."""
        home = await self.core.home(replace(invocation, request_id=None))
        if home.is_error:  # keep the last good Home rather than show a passing outage
            return
        await self.client.views_publish(user_id=invocation.user_id, view=home_view(home, notice))


async def _complete_commands(body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> Any:
    """Bolt middleware, after its signature check: a slash command without the fields
    Slack always sends (a truncated body) cannot be answered — refuse it, write nothing."""
    if "command" in body and not all(body.get(k) for k in COMMAND_FIELDS):
        log.warning("slack: refused a slash command missing one of %s", COMMAND_FIELDS)
        return BoltResponse(status=400, body="incomplete slash command")
    return await next()


def _request_key(request_id: str) -> str:
    """A short stable key for the core's receipts (Slack ids can be long)."""
    kind, _, value = request_id.partition(":")
    return f"slack:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def build(app: Peerpath, settings: Settings, server: OpsServer | None = None) -> SlackAdapter:
    """Entry point used by ``peerpath run`` when ``SLACK_BOT_TOKEN`` is set; ``server`` is
    the process's operations server, which HTTP mode's ``/slack/events`` joins."""
    return SlackAdapter(app, settings, server=server)


def _misshapen(body: dict[str, Any]) -> str | None:
    """Why ``body`` cannot be a Slack payload, when bolt itself would fail on it.

    Bolt reads ``view`` and each of ``actions`` with ``.get`` — even just to log a
    request nothing listens for — so any other shape there is a 500 inside bolt,
    where it is the sender's fault."""
    if "view" in body and not isinstance(body["view"], dict):
        return "view is not an object"
    actions = body.get("actions")
    if actions is not None and not (
        isinstance(actions, list) and all(isinstance(a, dict) for a in actions)
    ):
        return "actions is not a list of objects"
    return None
