"""A fake Discord on 127.0.0.1: enough REST and gateway for discord.py to run a bot.

The real discord.py client talks to it over HTTP and a websocket, so a wrong
payload on the wire fails a test. It records every REST call; tests await the
call they expect (no sleeps) and push INTERACTION_CREATE events down the gateway.
Failures can be scripted per route: a 429 with ``retry_after``, a 403 with a
Discord error code, a 5xx. Like Discord, it refuses (400, code 50035) any message,
form, autocomplete answer or command sync outside Discord's limits
(``tests/fakes/discord_limits.py``), and :meth:`FakeDiscord.close` then fails the test.

There is no ``GET /gateway/bot``: discord.py 2.7's (unsharded) ``Client``
connects straight to ``DiscordWebSocket.DEFAULT_GATEWAY``, asking for
``?v=10&encoding=json&compress=zlib-stream``; the fake answers in kind.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_limits import (
    choices_problems,
    commands_problems,
    message_problems,
    modal_problems,
)

API_PREFIX = "/api/v10"
APPLICATION_ID = 900000000000000001
BOT_USER_ID = 900000000000000002
GUILD_ID = 800000000000000001
CHANNEL_ID = 800000000000000002
MANAGE_GUILD = 1 << 5
# An ordinary member: view, send, embed, attach, read history, use application commands.
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
TIMESTAMP = "2026-11-18T10:00:00+00:00"
WAIT_LIMIT = 5.0  # seconds a test waits for an expected request before failing


@dataclass
class Call:
    """One REST request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Failure:
    """A scripted error answer for matching requests, used ``times`` times."""

    method: str
    pattern: str
    status: int
    body: dict[str, Any]
    times: int = 1
    bare: bool = False  # a 429 without Discord's proxy header, as Cloudflare answers


class FakeDiscord:
    """REST under ``/api/v10`` and a gateway websocket at ``/gateway``, on one ephemeral port."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.identifies: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.gateway_queries: list[dict[str, str]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}  # scope ("global" or guild id)
        self.failures: list[Failure] = []
        self.dm_channels: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []  # what Discord would have refused
        self.files: dict[str, bytes] = {}  # attachments on the CDN, by path
        self.downloads: list[str] = []  # the attachment paths fetched
        self._ids = itertools.count(700000000000000001)
        self._changed = asyncio.Event()
        self._sockets: list[_GatewaySocket] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # ---- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{path:.*}", self._rest)
        app.router.add_get("/attachments/{path:.*}", self._cdn)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        """Stop serving; then fail if peerpath sent anything Discord would have refused."""
        for socket in list(self._sockets):
            await socket.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
        assert not self.errors, "Discord would have refused:\n" + "\n".join(self.errors)

    @property
    def api_url(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway"

    def next_id(self) -> int:
        return next(self._ids)

    # ---- what tests use --------------------------------------------------

    def attach(self, filename: str, content: bytes) -> dict[str, Any]:
        """Put a file on the fake CDN, as a member's upload to a command; returns the
        attachment object Discord resolves in the interaction's data."""
        attachment_id = str(self.next_id())
        path = f"{CHANNEL_ID}/{attachment_id}/{filename}"
        self.files[path] = content
        return {
            "id": attachment_id,
            "filename": filename,
            "size": len(content),
            "url": f"{self.base_url}/attachments/{path}",
            "proxy_url": f"{self.base_url}/attachments/{path}",
            "content_type": "text/csv; charset=utf-8",
            "ephemeral": True,
        }

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if path not in self.files:
            return web.Response(status=404)
        self.downloads.append(path)
        return web.Response(body=self.files[path], content_type="text/csv")

    def fail(
        self,
        method: str,
        pattern: str,
        status: int,
        times: int = 1,
        bare: bool = False,
        **body: Any,
    ) -> None:
        """Answer the next ``times`` requests matching ``method``/``pattern`` with an error
        (``bare``: without the headers Discord's own answers carry)."""
        self.failures.append(Failure(method, pattern, status, body, times, bare))

    async def wait_call(self, method: str, pattern: str, after: int = 0) -> Call:
        """The first call at index >= ``after`` matching method and path regex, awaiting it."""

        async def find() -> Call:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and re.fullmatch(pattern, call.path):
                        return call
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(find(), WAIT_LIMIT)

    def matching(self, method: str, pattern: str, after: int = 0) -> list[Call]:
        return [
            c for c in self.calls[after:] if c.method == method and re.fullmatch(pattern, c.path)
        ]

    async def interact(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Dispatch INTERACTION_CREATE to the connected bot; returns the full event."""
        event = interaction_event(payload)
        if event["type"] in (2, 4):  # like Discord, name the registered command and its scope
            self._identify_command(event["data"], event.get("guild_id"))
        await self._sockets[-1].dispatch("INTERACTION_CREATE", event)
        return event

    def _identify_command(self, data: dict[str, Any], guild_id: str | None) -> None:
        for scope in (guild_id, "global"):
            for command in self.commands.get(scope or "", []):
                if command["name"] == data["name"]:
                    data["id"] = command["id"]
                    if scope != "global":
                        data["guild_id"] = scope
                    return

    async def response_to(self, event: dict[str, Any]) -> Call:
        """The interaction callback the bot sent for ``event``."""
        path = f"/interactions/{event['id']}/{event['token']}/callback"
        return await self.wait_call("POST", re.escape(path))

    # ---- REST ------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body, files = await _read_body(request)
        call = Call(request.method, path, dict(request.query), body, files)
        self.calls.append(call)
        self._changed.set()
        if request.headers.get("Authorization") != "Bot test-token" and not path.startswith(
            ("/interactions/", "/webhooks/")
        ):
            return _error(401, 0, "401: Unauthorized")
        for failure in self.failures:
            if failure.times and failure.method == request.method:
                if re.fullmatch(failure.pattern, path):
                    failure.times -= 1
                    # discord.py treats a 429 without Discord's proxy header as a Cloudflare ban.
                    proxied = failure.status == 429 and not failure.bare
                    headers = {"Via": "1.1 google"} if proxied else None
                    return _json(failure.body, status=failure.status, headers=headers)
        problems = _problems(request.method, path, body)
        if problems:
            self.errors.extend(f"{request.method} {path}: {p}" for p in problems)
            return _error(400, 50035, "Invalid Form Body: " + "; ".join(problems))
        return await self._answer(request.method, path, body)

    async def _answer(self, method: str, path: str, body: Any) -> web.StreamResponse:
        app = str(APPLICATION_ID)
        if (method, path) == ("GET", "/users/@me"):
            return _json(bot_user())
        if method == "GET" and path in ("/applications/@me", "/oauth2/applications/@me"):
            return _json(application())
        match = re.fullmatch(rf"/applications/{app}(?:/guilds/(\d+))?/commands", path)
        if match:
            scope = match.group(1) or "global"
            if method == "PUT":
                self.commands[scope] = [self._stored_command(c, match.group(1)) for c in body]
            return _json(self.commands.get(scope, []))
        if re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            return _json(self._callback_response(path, body))
        if re.fullmatch(rf"/webhooks/{app}/[^/]+(/messages/@original)?", path):
            if method == "DELETE":
                return web.Response(status=204)
            return _json(self.message(CHANNEL_ID, body))
        if (method, path) == ("POST", "/users/@me/channels"):
            user_id = str(body["recipient_id"])
            channel = self.dm_channels.setdefault(
                user_id,
                {"id": str(self.next_id()), "type": 1, "recipients": [user(user_id)]},
            )
            return _json(channel)
        match = re.fullmatch(r"/channels/(\d+)/messages", path)
        if match and method == "POST":
            return _json(self.message(int(match.group(1)), body))
        return _error(404, 10000, f"404: no fake route for {method} {path}")

    def _stored_command(self, sent: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        """What Discord returns for a synced command: server fields added, falsy ones dropped."""
        stored: dict[str, Any] = {
            "id": str(self.next_id()),
            "application_id": str(APPLICATION_ID),
            "version": str(self.next_id()),
            "type": sent.get("type", 1),
            "name": sent["name"],
            "description": sent["description"],
            "default_member_permissions": None
            if sent.get("default_member_permissions") is None
            else str(sent["default_member_permissions"]),
            "nsfw": False,
            "contexts": sent.get("contexts"),
            "integration_types": sent.get("integration_types") or [0],
        }
        if guild_id:
            stored["guild_id"] = guild_id
        options = []
        for option in sent.get("options", []):
            kept = {k: v for k, v in option.items() if v is not False and v is not None and v != []}
            options.append(kept)
        if options:
            stored["options"] = options
        return stored

    def _callback_response(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        interaction_id = path.split("/")[2]
        answer: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 2}}
        if body["type"] in (4, 7):
            message = self.message(CHANNEL_ID, body.get("data", {}))
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": body["type"], "message": message}
        return answer

    def message(self, channel_id: int, sent: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(self.next_id()),
            "channel_id": str(channel_id),
            "author": bot_user(),
            "content": sent.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": sent.get("embeds") or [],
            "components": sent.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": sent.get("flags", 0),
        }

    # ---- gateway ---------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        socket = _GatewaySocket(ws, request.query.get("compress") == "zlib-stream")
        self._sockets.append(socket)
        await socket.send({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if data["op"] == 1:
                self.heartbeats += 1
                await socket.send({"op": 11})
            elif data["op"] == 2:
                self.identifies.append(data["d"])
                await socket.dispatch("READY", self._ready())
        self._sockets.remove(socket)
        return ws

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": bot_user(),
            "guilds": [],
            "session_id": f"session-{self.next_id()}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APPLICATION_ID), "flags": 0},
        }


class _GatewaySocket:
    """One connected bot: numbered dispatches, zlib-stream compressed when asked for."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.sequence = 0
        self.compressor = zlib.compressobj() if compress else None

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if self.compressor is None:
            await self.ws.send_str(text)
        else:
            data = self.compressor.compress(text.encode()) + self.compressor.flush(
                zlib.Z_SYNC_FLUSH
            )
            await self.ws.send_bytes(data)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.send({"op": 0, "t": event, "s": self.sequence, "d": data})


def _problems(method: str, path: str, body: Any) -> list[str]:
    """What Discord would refuse in a request that carries a message, form, autocomplete
    answer or command list."""
    if re.fullmatch(r"/interactions/\d+/[^/]+/callback", path) and isinstance(body, dict):
        data = body.get("data") or {}
        checks = {4: message_problems, 7: message_problems, 8: choices_problems, 9: modal_problems}
        check = checks.get(int(body.get("type") or 0))
        return check(data) if check else []
    sends = re.fullmatch(rf"/webhooks/{APPLICATION_ID}/[^/]+(/messages/[^/]+)?", path) or (
        re.fullmatch(r"/channels/\d+/messages", path)
    )
    if method in ("POST", "PATCH") and sends and isinstance(body, dict):
        return message_problems(body)
    if method == "PUT" and path.endswith("/commands") and isinstance(body, list):
        return commands_problems(body)
    return []


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    """JSON bodies as parsed JSON; multipart bodies as ``payload_json`` plus the files."""
    if request.content_type == "multipart/form-data":
        form = await request.post()
        files = {
            value.filename: value.file.read()
            for key, value in form.items()
            if key.startswith("files[") and isinstance(value, web.FileField)
        }
        return json.loads(str(form["payload_json"])), files
    raw = await request.read()
    return (json.loads(raw) if raw else None), {}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Discord's exact content type (discord.py compares it literally)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"code": code, "message": message}, status=status)


def bot_user() -> dict[str, Any]:
    return {**user(str(BOT_USER_ID), "peerpath"), "bot": True}


def user(user_id: str, name: str = "") -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name or f"user{user_id[-4:]}",
        "discriminator": "0",
        "global_name": name or None,
        "avatar": None,
    }


def application() -> dict[str, Any]:
    return {
        "id": str(APPLICATION_ID),
        "name": "peerpath",
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": user("900000000000000003", "owner"),
        "team": None,
        "flags": 0,
    }


def interaction_event(payload: dict[str, Any]) -> dict[str, Any]:
    """Fill in what every INTERACTION_CREATE carries around the test's own fields."""
    interaction_id = str(payload.pop("id", None) or _interaction_ids())
    event: dict[str, Any] = {
        "id": interaction_id,
        "application_id": str(APPLICATION_ID),
        "token": f"token-{interaction_id}",
        "version": 1,
        "locale": "en-US",
        "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "app_permissions": "0",
    }
    event.update(payload)
    return event


_interaction_ids: Callable[[], int] = itertools.count(600000000000000001).__next__


def guild_interaction(
    user_id: str,
    kind: int,
    data: dict[str, Any],
    admin: bool = False,
    message: dict[str, Any] | None = None,
    interaction_id: int | None = None,
) -> dict[str, Any]:
    """An interaction from a member in the fake guild's text channel."""
    permissions = MEMBER_PERMISSIONS | (MANAGE_GUILD if admin else 0)
    payload: dict[str, Any] = {
        "type": kind,
        "data": data,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL_ID),
        "channel": {
            "id": str(CHANNEL_ID),
            "type": 0,
            "name": "general",
            "guild_id": str(GUILD_ID),
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        },
        "member": {
            "user": user(user_id),
            "roles": [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        },
        "context": 0,
    }
    if message is not None:
        payload["message"] = message
    if interaction_id is not None:
        payload["id"] = interaction_id
    return payload


def dm_interaction(
    user_id: str, channel_id: str, kind: int, data: dict[str, Any], message: dict[str, Any]
) -> dict[str, Any]:
    """An interaction from a member in their DM with the bot (no guild)."""
    return {
        "type": kind,
        "data": data,
        "channel_id": channel_id,
        "channel": {"id": channel_id, "type": 1, "recipients": [user(user_id)]},
        "user": user(user_id),
        "message": message,
        "context": 1,
    }


def personal_interaction(
    user_id: str,
    kind: int,
    data: dict[str, Any],
    channel_id: str,
    guild_id: str | None = None,
) -> dict[str, Any]:
    """An interaction through the member's own install of the app (``integration_types``
    1): from a DM (``context`` 2, a private channel — not the bot's own DM) or, with
    ``guild_id``, from a server the bot is not in (``context`` 0). Only the user's install
    authorises it (``authorizing_integration_owners`` {"1": user id})."""
    payload: dict[str, Any] = {
        "type": kind,
        "data": data,
        "channel_id": channel_id,
        "authorizing_integration_owners": {"1": user_id},
        "app_permissions": "0",
    }
    if guild_id is None:
        payload["channel"] = {"id": channel_id, "type": 1, "recipients": [user(user_id)]}
        payload["user"] = user(user_id)
        payload["context"] = 2
        return payload
    payload["guild_id"] = guild_id
    payload["channel"] = {
        "id": channel_id,
        "type": 0,
        "name": "chat",
        "guild_id": guild_id,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }
    payload["member"] = {
        "user": user(user_id),
        "roles": [],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(MEMBER_PERMISSIONS),
    }
    payload["context"] = 0
    return payload
