"""Slack: slash commands, modals, buttons, the App Home tab and DMs, through slack-bolt.

The adapter translates and never decides: Slack payloads become
:class:`Invocation` s for the core, and the core's neutral replies become Block
Kit. Every listener acknowledges Slack first (within its 3 s window) and only
then touches the database — except a modal submission, whose field errors can
only travel in the acknowledgement; that one waits a bounded time for the core.
Bolt answers Slack when a listener returns (``process_before_response``), so each
listener acknowledges and hands the rest to a follow-up (``followups``): bolt's
other mode runs listeners in a task and polls every 10 ms for the acknowledgement,
which cost every request those 10 ms and, under a burst, a thousand polling loops.
A follow-up is described as JSON (a request to run, then an answer to post), so one
still owed when the process must stop is handed to the next start; ``answers`` posts
the replies.

Two ways in, one app: Socket Mode when ``SLACK_APP_TOKEN`` is set (no public
URL), otherwise HTTP at ``/slack/events`` on the process's operations server
(``adapters/http.py``, on ``PEERPATH_HOST:PEERPATH_PORT``), whose ``/readyz``
counts Slack ready once its traffic is being taken; ``door`` checks each request's
signature and shape there before bolt routes it. HTTP mode keeps no state between
requests, so replicas can share one URL behind a load balancer. Rendering lives in
``blocks``, DMs for the scheduler in ``notifier``.

One workspace (``SLACK_BOT_TOKEN``) or many ("Add to Slack" with ``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET``, in either way in): ``installs`` gives every call the token of
the team it speaks to.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.http import OpsServer
from adapters.slack import authorizing, connecting, files, installs, shortcuts
from adapters.slack.answers import Answers
from adapters.slack.blocks import MODAL_CALLBACK, command_modal, modal_error, modal_values
from adapters.slack.door import EVENTS_PATH, Door
from adapters.slack.followups import FollowUps, Job, Owed
from adapters.slack.manifest import INSTALL_PATH
from adapters.slack.notifier import PER_CHANNEL_INTERVAL, SlackNotifier
from adapters.slack.one_team import only_our_team
from adapters.slack.people import PLATFORM, People
from bot.app import Peerpath
from bot.arguments import missing_required
from bot.config import Settings
from bot.invocation import Invocation
from bot.registry import Command, ShortcutKind
from bot.replies import Reply, error_reply

log = logging.getLogger("peerpath.slack")

DEFAULT_API_URL = "https://slack.com/api/"
# A modal's field errors must be in the acknowledgement, due within 3 s of the click.
SUBMIT_WAIT = 2.0
# How long a stop may take when ``peerpath run`` does not say, and the part of any stop
# kept for handing what is still owed to the next start.
STOP_SECONDS = 5.0
HANDOVER_SECONDS = 0.5


def api_base_url(url: str | None) -> str:
    """``SLACK_API_URL`` as slack_sdk wants it: with exactly one trailing slash."""
    return (url or DEFAULT_API_URL).rstrip("/") + "/"


class SlackAdapter:
    """One Slack workspace served over Socket Mode or HTTP."""

    platform = PLATFORM

    def __init__(
        self,
        core: Peerpath,
        settings: Settings,
        pace: float = PER_CHANNEL_INTERVAL,
        server: OpsServer | None = None,
    ) -> None:
        """``server`` is the process's operations server; without one the adapter runs its own."""
        if not settings.slack_bot_token and not settings.slack_oauth:
            raise ValueError(
                "SLACK_BOT_TOKEN is not set (or, for many workspaces, SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET)"
            )
        self.app_token = settings.slack_app_token
        if not self.app_token and not settings.slack_signing_secret:
            raise ValueError(
                "SLACK_SIGNING_SECRET is needed in HTTP mode (or set SLACK_APP_TOKEN for "
                "Socket Mode)"
            )
        self.core = core
        self.oauth = settings.slack_oauth
        self.client = AsyncWebClient(
            token=None if self.oauth else settings.slack_bot_token,
            base_url=api_base_url(settings.slack_api_url),
        )
        self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        flow = installations = authorize = None
        if self.oauth:
            flow, installations, authorize = installs.oauth(
                settings, core.engine, self.client, core
            )
        self.clients = installs.Clients(self.client, installations)
        self.notifier = SlackNotifier(self.clients, pace)
        # Requests are verified at the door (``door``), before their bodies are parsed;
        # bolt's own check would parse first, and logs whole bodies when it refuses one.
        self.bolt = AsyncApp(
            client=self.client,
            process_before_response=True,
            request_verification_enabled=False,
            oauth_flow=flow,
            authorize=authorize,
            user_facing_authorize_error_message=authorizing.gone(settings) if self.oauth else None,
        )
        if self.oauth:  # first of peerpath's middleware: see ``authorizing``
            self.bolt.use(authorizing.unserved_middleware(settings))
        self.answers = Answers(core, self.clients, self.notifier)
        self.people = People(self.clients)
        self.followups = FollowUps()
        self.ready = False
        self.submit_wait = SUBMIT_WAIT
        self._socket: AsyncSocketModeHandler | None = None
        self._owns_server = server is None
        self.server = server or OpsServer(core, settings.host, settings.port)
        self.server.check(self.platform, lambda: self.ready)
        if not self.app_token:
            door = Door(settings.slack_signing_secret or "", self.bolt)
            self.server.route("POST", EVENTS_PATH, door.events)
        if flow is not None and installations is not None:
            installs.serve(self.server, flow)
            installs.listen(self.bolt, installations, core)
        self._register()

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Learn our team, open the way in (socket or HTTP), report healthy, then finish what
        an earlier process acknowledged and left unanswered. A refused token raises
        ``bot.startup.ConfigurationError``; Slack out of reach, ``Unreachable``."""
        token = "SLACK_BOT_TOKEN"
        try:
            if not self.oauth:  # many workspaces: each installation's token is checked
                auth = await self.client.auth_test()
                self.clients.team_id = auth["team_id"]
            if self.app_token:
                token = "SLACK_APP_TOKEN"
                self._socket = AsyncSocketModeHandler(
                    self.bolt, self.app_token, web_client=self.client
                )
                await self._socket.connect_async()
        except Exception as error:
            if self._socket is not None:
                await self._socket.close_async()
                self._socket = None
            meaning = connecting.explain(error, token, self.client.base_url)
            if meaning is None:
                raise
            raise meaning from None
        if self._owns_server:
            await self.server.start()
        self.ready = True
        log.info(
            "slack: %s%s, health on %s:%s",
            "socket mode" if self.app_token else f"HTTP at {EVENTS_PATH}",
            f", Add to Slack at {INSTALL_PATH}" if self.oauth else "",
            self.server.host,
            self.server.port,
        )
        await self._take_over()

    @property
    def port(self) -> int | None:
        """Where ``/slack/events`` and the health endpoints listen, once started."""
        return self.server.port

    async def stop(self, within: float = STOP_SECONDS) -> None:
        """Close the way in, let acknowledged requests be answered, and after ``within``
        seconds hand what is still owed to the next start (through the core's inbox)."""
        self.ready = False
        if self._socket is not None:
            await self._socket.close_async()
        if self._owns_server:
            await self.server.drain()
        await self.followups.drain(max(0.0, within - HANDOVER_SECONDS))
        self.answers.close()
        owed = await self.followups.hand_over()
        if owed:
            try:
                await self.core.hand_over(self.platform, owed)
                log.warning("shutdown: %d answers owed handed over to the next start", len(owed))
            except Exception as error:  # the database is gone too: say what is lost
                log.error(
                    "shutdown: %d answers owed could not be kept (%s)",
                    len(owed),
                    type(error).__name__,
                )
        if self._owns_server:
            await self.server.stop()

    async def _take_over(self) -> None:
        """Answer what earlier processes acknowledged and had to leave (see ``followups``)."""
        try:
            while jobs := await self.core.handed_over(self.platform):
                for job in jobs:
                    self._owe(job, "a request from before a restart")
                log.info("slack: answering %d requests left by an earlier process", len(jobs))
        except Exception as error:  # they stay in the inbox for the next start
            log.warning("slack: answers owed not taken over: %s", type(error).__name__)

    def _owe(self, job: Job, what: str) -> None:
        owed = Owed(job)
        self.followups.start(owed, self._finish(owed), what)

    async def _finish(self, owed: Owed) -> None:
        """Do what ``owed`` says: run a request, or post an answer already made."""
        assert owed.job is not None
        steps = {
            "command": self._command,
            "press": self._press,
            "form": self._form,
            "answer": self.answers.deliver,
        }
        await steps[owed.job["kind"]](owed)

    # -- listeners --------------------------------------------------------------------------

    def _register(self) -> None:
        self.bolt.use(only_our_team(self.clients))  # before anything reads or writes
        for command in self.core.registry:
            self.bolt.command(f"/{command.name}")(self._on_command)
        kinds = {
            ShortcutKind.MESSAGE: self.bolt.message_shortcut,
            ShortcutKind.GLOBAL: self.bolt.global_shortcut,
        }
        for shortcut in self.core.registry.shortcuts.values():
            kinds[shortcut.kind](shortcut.name)(self._on_shortcut)
        self.bolt.action(re.compile(r".+"))(self._on_action)
        self.bolt.view_submission(MODAL_CALLBACK)(self._on_submission)
        self.bolt.event("app_home_opened")(self._on_home_opened)

    async def _on_command(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        self._owe({"kind": "command", "body": body}, body["command"])

    async def _command(self, owed: Owed) -> None:
        body = _job_body(owed)
        command = self.core.registry.get(body["command"])
        if command is None:  # only registry commands are listened for (or were, before)
            owed.job = None
            return
        text = body.get("text") or ""
        if not text.strip() and missing_required(command, {}):
            owed.job = None  # a form opens within 3 s of the command or never: not handed over
            metadata = {"channel": body.get("channel_id", ""), "response_url": body["response_url"]}
            client = await self.clients.for_team(body["team_id"])
            await client.views_open(
                trigger_id=body["trigger_id"], view=command_modal(command, metadata)
            )
            return
        invocation = await self.people.invocation(
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
        if reply.form is not None and not reply.is_error:
            owed.job = None  # a form opens within 3 s of the trigger or never: not handed over
            channel = body.get("channel_id", "")
            await self.answers.open_form(
                invocation, body["trigger_id"], reply.form, channel, body["response_url"]
            )
            return
        await self.answers.answer(owed, invocation, reply, body["response_url"])

    async def _on_submission(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = json.loads(view["private_metadata"])
        command = self.core.registry.submitted(metadata["command"])
        if command is None:
            await ack()
            return
        owed = Owed({"kind": "form", "body": body})
        work = asyncio.ensure_future(self._submitted(body, command))
        try:
            invocation, reply = await asyncio.wait_for(asyncio.shield(work), self.submit_wait)
        except TimeoutError:
            await ack()  # close the form in time; the answer follows through response_url
            self.followups.start(owed, self._answer_when_done(owed, work), "a form")
            return
        errors = modal_error(view, command, reply) if reply.is_error else None
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        answer = self.answers.answer_form(owed, invocation, reply, metadata)
        self.followups.start(owed, answer, "a form")

    async def _submitted(self, body: dict[str, Any], command: Command) -> tuple[Invocation, Reply]:
        view = body["view"]
        metadata = json.loads(view["private_metadata"])
        invocation = await self.people.interaction(
            body, f"view:{view['id']}", metadata.get("channel") or None, command.admin_only
        )
        # A form opened to edit a log carries the options it does not show (``hidden``).
        values: dict[str, Any] = {
            **metadata.get("hidden", {}),
            **modal_values(view["state"]["values"]),
        }
        try:
            client = await self.clients.for_team(invocation.workspace_id)
            for name, file in files.picked(view["state"]["values"]).items():
                values[name] = await files.fetch(client.token or "", file)
        except (aiohttp.ClientError, TimeoutError, KeyError) as error:
            log.warning("picked file not fetched: %s", type(error).__name__)
            return invocation, error_reply("Slack didn't hand over the file; try again.")
        return invocation, await self.core.run(invocation, command, values)

    async def _form(self, owed: Owed) -> None:
        """A form whose answer an earlier process owed: run it again (its receipt keeps it
        from being stored twice)."""
        body = _job_body(owed)
        command = self.core.registry.submitted(
            json.loads(body["view"]["private_metadata"])["command"]
        )
        if command is None:
            owed.job = None
            return
        await self._answer_when_done(owed, self._submitted(body, command))

    async def _answer_when_done(
        self, owed: Owed, work: Awaitable[tuple[Invocation, Reply]]
    ) -> None:
        invocation, reply = await work
        metadata = json.loads(_job_body(owed)["view"]["private_metadata"])
        await self.answers.answer_form(owed, invocation, reply, metadata)

    async def _on_shortcut(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()  # its form opens within 3 s of the trigger or never: nothing to hand over
        work = shortcuts.answer(body, self.core, self.people, self.clients, self.answers)
        self.followups.start(Owed(None), work, "a shortcut")

    async def _on_action(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        self._owe({"kind": "press", "body": body}, "a button")

    async def _press(self, owed: Owed) -> None:
        body = _job_body(owed)
        channel_id = (body.get("channel") or {}).get("id")
        invocation = await self.people.interaction(body, f"action:{body['trigger_id']}", channel_id)
        reply = await self.core.press(invocation, body["actions"][0]["action_id"])
        container = body.get("container") or {}
        url = body.get("response_url")
        if reply.form is not None and not reply.is_error:
            owed.job = None  # a form opens within 3 s of the trigger or never
            home = container.get("type") == "view"  # opened from Home: it answers there
            await self.answers.open_form(
                invocation, body["trigger_id"], reply.form, channel_id or "", url, home
            )
            return
        if container.get("type") == "view" or not url:  # a button on the App Home tab
            owed.job = None
            await self.answers.publish_home(invocation, notice=reply)
            return
        # Replace a private message (ephemeral, or in a DM); answer privately under a public one.
        private = container.get("is_ephemeral") or str(invocation.channel_id).startswith("D")
        await self.answers.answer(owed, invocation, reply, url, replace_original=bool(private))

    async def _on_home_opened(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if event.get("tab") == "home":
            home = self._open_home(body["team_id"], event["user"])
            self.followups.start(Owed(None), home, "App Home")  # nothing owed: it reopens

    async def _open_home(self, team_id: str, user_id: str) -> None:
        await self.answers.publish_home(await self.people.invocation(team_id, user_id, None))


def _job_body(owed: Owed) -> dict[str, Any]:
    assert owed.job is not None
    return owed.job["body"]


def build(app: Peerpath, settings: Settings, server: OpsServer | None = None) -> SlackAdapter:
    """Entry point used by ``peerpath run`` when Slack is configured; ``server`` is
    the process's operations server, which HTTP mode's ``/slack/events`` joins."""
    return SlackAdapter(app, settings, server=server)
