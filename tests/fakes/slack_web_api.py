"""A fake Slack on 127.0.0.1: Web API, response_url, file uploads, a Socket Mode websocket,
and "Add to Slack" (the consent page and ``oauth.v2.access``) for many teams.

It records every call so tests can assert what went over the wire, and lets a
test await a call instead of sleeping. slack-bolt and slack_sdk talk to it
unchanged, pointed here by ``SLACK_API_URL``; that is what makes a wrong
payload fail a test.

Every Web API call is authenticated by its bot token, and each token belongs to one
team: ``xoxb-test`` to :data:`TEAM_ID`, and each token ``oauth.v2.access`` hands out to
the team that consented. A user or channel belongs to the team :meth:`FakeSlack.add_team`
gave it (anything else to :data:`TEAM_ID`); a call naming another team's user or
channel is refused as Slack would (``user_not_found``, ``channel_not_found``) and noted
as an error, so a message sent with the wrong team's token fails the test.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

from adapters.slack.manifest import BOT_SCOPES
from tests.fakes.block_kit import message_problems, view_problems

TEAM_ID = "T0ACME"
BOT_USER = "U0BOT"
TOKEN = "xoxb-test"  # the one workspace's bot token (SLACK_BOT_TOKEN)
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret"
# Methods any token (or none) may call: the app token's socket, and OAuth's exchange.
UNAUTHENTICATED = frozenset({"apps.connections.open", "oauth.v2.access"})
# Parameters naming a user or a conversation, checked against the token's team.
NAMED = ("user", "users", "user_id", "channel", "channel_id")
# The bot scope each Web API method needs (Slack's method reference); for methods that
# read or write a conversation, by the kind of conversation its id names.
SCOPES: dict[str, str | dict[str, str]] = {
    "chat.postMessage": "chat:write",
    "conversations.open": "im:write",
    "conversations.join": "channels:join",
    "conversations.history": {"C": "channels:history", "G": "groups:history", "D": "im:history"},
    "users.info": "users:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}


@dataclass
class Call:
    """One request Slack received: a Web API method, a response_url post, an upload."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class Refused(Exception):
    """Slack's answer to a request it understood and will not do (its error code)."""


@dataclass
class Failure:
    error: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """Start with :meth:`start`; every request lands in :attr:`calls`."""

    def __init__(
        self, admins: frozenset[str] = frozenset(), scopes: frozenset[str] | None = None
    ) -> None:
        """``scopes`` are the bot token's (the manifest's, unless a test takes some away)."""
        self.admins = admins
        # users.info's answers beyond the defaults, by user id (names, bots, guests…)
        self.people: dict[str, dict[str, Any]] = {}
        self.scopes = frozenset(BOT_SCOPES) if scopes is None else scopes
        self.joined: set[str] = set()  # public channels the bot is a member of
        self.calls: list[Call] = []
        self.socket_acks: list[dict[str, Any]] = []
        self.failures: dict[str, deque[Failure]] = {}
        self.errors: list[str] = []  # requests Slack would refuse or the fake cannot read
        self._gates: dict[str, asyncio.Event] = {}
        self.port = 0
        self.shared: dict[str, bytes] = {}  # files members picked in forms, by id
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.tokens: dict[str, str] = {TOKEN: TEAM_ID}  # bot token → its team
        self.revoked: set[str] = set()
        self.owners: dict[str, str] = {}  # user or channel id → team (else TEAM_ID)
        self.team_names: dict[str, str] = {TEAM_ID: "Acme"}
        self.redirect_url = ""  # the app's OAuth redirect URL, as set in its settings
        self.consenting: str | None = None  # the team whose admin clicks Allow next
        self.installer = "U0INSTALLER"
        self._codes: dict[str, str] = {}  # one-time code → team

    # -- life cycle -------------------------------------------------------------------------

    async def start(self, port: int = 0) -> None:
        """Listen on ``port`` (any free one by default)."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/files-pri/{file_id}/{name}", self._download)
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving; then fail if peerpath sent anything Slack would have refused."""
        for gate in self._gates.values():
            gate.set()
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
        assert not self.errors, "Slack would have refused:\n" + "\n".join(self.errors)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api"  # no trailing slash on purpose: the adapter must add it

    def response_url(self) -> str:
        return f"{self.base}/response/{uuid.uuid4().hex}"

    # -- test controls ----------------------------------------------------------------------

    def fail(self, method: str, error: str, status: int = 200, **headers: str) -> None:
        """Make the next call to ``method`` fail with Slack error ``error``."""
        self.failures.setdefault(method, deque()).append(Failure(error, status, headers))

    def hold(self, method: str) -> asyncio.Event:
        """Accept calls to ``method`` (recorded, acted on) but answer them only once the
        returned event is set: a platform that answers after the client gave up."""
        return self._gates.setdefault(method, asyncio.Event())

    def share(self, name: str, content: bytes) -> dict[str, Any]:
        """A file a member picked in a form's ``file_input``: stored here, and described as
        a ``view_submission`` carries it (an id and private URLs, never the bytes)."""
        file_id = "F" + uuid.uuid4().hex[:10].upper()
        self.shared[file_id] = content
        url = f"{self.base}/files-pri/{file_id}/{name}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": "text/csv",
            "filetype": "csv",
            "size": len(content),
            "url_private": url,
            "url_private_download": url + "?download=1",
        }

    def add_team(
        self, team_id: str, name: str, users: tuple[str, ...] = (), channels: tuple[str, ...] = ()
    ) -> None:
        """Another workspace, with the users and channels that are its own."""
        self.team_names[team_id] = name
        for owned in (*users, *channels):
            self.owners[owned] = team_id

    def revoke(self, team_id: str) -> None:
        """The team removed the app: its tokens stop working (``token_revoked``)."""
        for token in [t for t, team in self.tokens.items() if team == team_id]:
            del self.tokens[token]
            self.revoked.add(token)

    def team_of(self, named: str) -> str:
        """The team a user or conversation id belongs to (a DM: its user's)."""
        if named.startswith("D"):
            named = "U" + named[1:]
        return self.owners.get(named, TEAM_ID)

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self, method: str, count: int = 1, where: Callable[[Call], bool] = lambda c: True
    ) -> list[Call]:
        """Wait (at most 5 s) until ``count`` calls to ``method`` matching ``where`` arrived."""

        def matching() -> list[Call]:
            return [c for c in self.called(method) if where(c)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(matching()) >= count), 5)
        return matching()

    async def wait_until(self, condition: Callable[[], bool], within: float = 30) -> None:
        """Wait (at most ``within`` seconds) until ``condition`` holds, re-checked as each
        call arrives."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), within)

    async def send_envelope(self, envelope_type: str, payload: dict[str, Any]) -> str:
        """Push a Socket Mode envelope to the connected app; returns its envelope id."""
        envelope_id = uuid.uuid4().hex
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": envelope_type != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return envelope_id

    async def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(
                    lambda: any(a["envelope_id"] == envelope_id for a in self.socket_acks)
                ),
                5,
            )
        return next(a for a in self.socket_acks if a["envelope_id"] == envelope_id)

    # -- handlers ---------------------------------------------------------------------------

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        params["_token"] = request.headers.get("Authorization", "").removeprefix("Bearer ")
        refused = (
            self._check_token(method, params)
            or self._check_scope(method, params)
            or self._check_blocks(method, params)
        )
        await self._record(Call(method, params))
        if refused:
            return web.json_response({"ok": False, "error": refused})
        queued = self.failures.get(method)
        if queued:
            failure = queued.popleft()
            return web.json_response(
                {"ok": False, "error": failure.error},
                status=failure.status,
                headers=failure.headers,
            )
        try:
            result = self._result(method, params)
        except Refused as refusal:
            return web.json_response({"ok": False, "error": str(refusal)})
        except (KeyError, TypeError, AttributeError) as error:
            self.errors.append(f"{method}: {error!r}")
            return web.json_response({"ok": False, "error": "invalid_arguments"})
        if method in self._gates:
            await self._gates[method].wait()
        return web.json_response({"ok": True, **result})

    def _check_token(self, method: str, params: dict[str, Any]) -> str | None:
        """``invalid_auth`` or ``token_revoked`` for a token Slack would not take, and
        ``user_not_found`` / ``channel_not_found`` for another team's user or channel."""
        if method in UNAUTHENTICATED:
            return None
        token = params["_token"]
        if token in self.revoked:
            return "token_revoked"
        team = self.tokens.get(token)
        if team is None:
            return "invalid_auth"
        params["_team"] = team
        for name in NAMED:
            named = str(params.get(name) or "")
            if named and self.team_of(named) != team:
                self.errors.append(f"{method}: {name} {named} of another team, with {team}'s token")
                return "channel_not_found" if name.startswith("channel") else "user_not_found"
        return None

    def _check_scope(self, method: str, params: dict[str, Any]) -> str | None:
        """``missing_scope`` or ``not_in_channel`` where Slack would answer them."""
        needed = SCOPES.get(method)
        channel = str(params.get("channel", ""))
        if isinstance(needed, dict):
            needed = needed.get(channel[:1])
        if needed is not None and needed not in self.scopes:
            self.errors.append(f"{method}: missing_scope {needed}")
            return "missing_scope"
        public = channel.startswith("C") and channel not in self.joined
        if public and method == "conversations.history":
            return "not_in_channel"
        if public and method == "chat.postMessage" and "chat:write.public" not in self.scopes:
            return "not_in_channel"
        return None

    def _check_blocks(self, method: str, params: dict[str, Any]) -> str | None:
        """The error Slack answers for a message or view it would refuse (``invalid_blocks``,
        ``invalid_arguments``), each problem noted in :attr:`errors`; None when it is fine."""
        if method in ("chat.postMessage", "chat.postEphemeral", "response_url"):
            found, error = message_problems(params), "invalid_blocks"
        elif method in ("views.open", "views.publish", "views.update"):
            found, error = view_problems(params["view"]), "invalid_arguments"
        else:
            return None
        self.errors.extend(f"{method}: {problem}" for problem in found)
        return error if found else None

    def _result(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            team = params["_team"]
            bot = BOT_USER if team == TEAM_ID else f"U0BOT{team}"
            return {
                "team_id": team,
                "team": self.team_names[team],
                "user_id": bot,
                "bot_id": "B" + bot[1:],
            }
        if method == "oauth.v2.access":
            return self._exchange(params)
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(params.get("users", "")).lstrip("U")}}
        if method == "chat.postMessage":
            return {"channel": params.get("channel"), "ts": f"{time.time():.6f}"}
        if method == "conversations.join":
            self.joined.add(params["channel"])
            return {"channel": {"id": params["channel"]}}
        if method == "conversations.history":
            posted = [
                {"type": "message", "text": c.params.get("text"), "metadata": c.params["metadata"]}
                for c in self.called("chat.postMessage")
                if c.params.get("channel") == params["channel"] and "metadata" in c.params
            ]
            return {"messages": posted[::-1][: int(params.get("limit", 100))], "has_more": False}
        if method in ("views.open", "views.publish", "views.update"):
            return {"view": {"id": "V" + uuid.uuid4().hex[:8].upper()}}
        if method == "users.info":
            user = str(params["user"])
            known = {
                "id": user,
                "team_id": TEAM_ID,
                "name": user.lower(),
                "deleted": False,
                "is_bot": False,
                "is_app_user": False,
                "is_admin": user in self.admins,
                "is_owner": False,
                "profile": {"real_name": "", "display_name": ""},
            }
            return {"user": known | self.people.get(user, {})}
        if method == "chat.getPermalink":
            channel, ts = params["channel"], str(params["message_ts"])
            return {
                "channel": channel,
                "permalink": f"https://acme.slack.com/archives/{channel}/p{ts.replace('.', '')}",
            }
        if method == "files.getUploadURLExternal":
            file_id = "F" + uuid.uuid4().hex[:8].upper()
            return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return {"files": [{"id": f["id"], "title": f.get("title")} for f in params["files"]]}
        if method == "apps.connections.open":
            return {"url": f"ws://127.0.0.1:{self.port}/socket"}
        return {}

    async def _authorize(self, request: web.Request) -> web.Response:
        """Slack's consent page: the admin of :attr:`consenting` clicks Allow (or, with none
        set, Cancel) and the browser goes back to the app with a code (or an error)."""
        params = dict(request.query)
        await self._record(Call("authorize", params))
        back = params.get("redirect_uri") or self.redirect_url
        if params.get("client_id") != CLIENT_ID or not back:
            return web.Response(status=400, text="invalid_client_id or redirect_uri")
        if self.consenting is None:
            answer = {"error": "access_denied", "state": params.get("state", "")}
        else:
            code = uuid.uuid4().hex
            self._codes[code] = self.consenting
            answer = {"code": code, "state": params.get("state", "")}
        raise web.HTTPFound(f"{back}?{urlencode(answer)}")

    def _exchange(self, params: dict[str, Any]) -> dict[str, Any]:
        """``oauth.v2.access``: the app's credentials (HTTP Basic) and a one-time code
        for the team's own new bot token."""
        credentials = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if params["_token"] != f"Basic {credentials}":
            raise Refused("bad_client_secret")
        team = self._codes.pop(str(params.get("code")), None)
        if team is None:
            raise Refused("invalid_code")
        token = f"xoxb-{team}-{uuid.uuid4().hex[:8]}"
        self.tokens[token] = team
        return {
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(sorted(self.scopes)),
            "bot_user_id": f"U0BOT{team}",
            "app_id": "A0PEERPATH",
            "team": {"id": team, "name": self.team_names[team]},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": self.installer},
        }

    async def _response_url(self, request: web.Request) -> web.Response:
        url = f"{self.base}/response/{request.match_info['key']}"
        message = await request.json()
        refused = self._check_blocks("response_url", message)
        await self._record(Call("response_url", {"_url": url, **message}))
        return web.Response(status=400, text=refused) if refused else web.Response(text="ok")

    async def _download(self, request: web.Request) -> web.Response:
        """A private file: only with a bot token that has ``files:read``."""
        file_id = request.match_info["file_id"]
        token = request.headers.get("Authorization", "")
        await self._record(Call("download", {"file_id": file_id, "authorization": token}))
        if not token.startswith("Bearer xoxb-") or "files:read" not in self.scopes:
            self.errors.append(f"download {file_id}: no bot token with files:read")
            return web.Response(status=403)
        if file_id not in self.shared:
            return web.Response(status=404)
        return web.Response(body=self.shared[file_id], content_type="text/csv")

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        await self._record(Call("upload", {"file_id": request.match_info["file_id"], "body": body}))
        return web.Response(text="OK")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await self._record(Call("socket", {"app_token": request.headers.get("Authorization")}))
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                async with self._changed:
                    self.socket_acks.append(json.loads(message.data))
                    self._changed.notify_all()
        return ws


async def _params(request: web.Request) -> dict[str, Any]:
    """Form or JSON bodies alike; form values holding JSON (blocks, views) are decoded."""
    fields = dict(request.query)
    if request.content_type == "application/json":
        return _decoded(fields) | await request.json()
    return _decoded(fields | dict(await request.post()))


def _decoded(fields: dict[str, Any]) -> dict[str, Any]:
    decoded = {}
    for key, value in fields.items():
        text = str(value)
        decoded[key] = json.loads(text) if text[:1] in ("[", "{") else text
    return decoded
