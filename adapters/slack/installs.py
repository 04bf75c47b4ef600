"""Which bot token speaks for peerpath in which Slack team.

One workspace: ``SLACK_BOT_TOKEN``, its team learnt from ``auth.test`` at start; a
message meant for another team is refused. Many workspaces ("Add to Slack", when
``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are set): bolt's ``AsyncOAuthFlow``
serves ``/slack/install`` and ``/slack/oauth_redirect`` on the operations server's port,
slack_sdk's ``AsyncSQLAlchemyInstallationStore`` and ``AsyncSQLAlchemyOAuthStateStore``
keep installations and one-time states in peerpath's own database (their tables come
from peerpath's migrations, ``bot/tables/installs.py``), and every request is authorized
with its own team's bot token.

Everything that sends as the bot — answers, DMs, digests, App Home, the reminder
sweep, delivery checks — asks :meth:`Clients.for_team` for the team it sends to. A
team's bot is looked up once and kept in memory for :data:`TOKEN_SECONDS` (a hit is a
dictionary read; a miss one query on ``slack_bots``' index, ``bench/installs.py``);
saving or deleting a team's installation forgets it at once. A team without an
installation raises :class:`NotInstalled`; ``app_uninstalled`` and ``tokens_revoked``
delete its installation (``listen``) and tell the core, which keeps its data for
``PEERPATH_UNINSTALLED_RETENTION_DAYS``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http import OpsServer
from adapters.slack import PLATFORM, install_pages
from adapters.slack.authorizing import Authorize
from adapters.slack.install_flow import (
    STATE_SECONDS,
    ExchangeClient,
    Flow,
    StateCookies,
    States,
    TooManyInstalls,
)
from adapters.slack.manifest import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH
from bot.app import Peerpath
from bot.config import Settings

log = logging.getLogger("peerpath.slack")

TOKEN_SECONDS = 60.0  # how long a looked-up bot is trusted (another replica may delete it)
KEPT_TEAMS = 10_000  # teams whose bot is kept in memory at most


class NotInstalled(Exception):
    """peerpath has no installation (so no token) in the team it was to speak to."""


class Installations(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy store, with each team's bot remembered for a while.

    Bolt authorizes every request through :meth:`async_find_bot` (``bot_only``), and the
    notifier asks :meth:`bot_token`; both read the memory first. Whatever changes an
    installation goes through here and forgets the team."""

    def __init__(
        self,
        store: AsyncInstallationStore,
        seconds: float = TOKEN_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.seconds = seconds
        self._monotonic = monotonic
        self._bots: dict[tuple[str | None, str | None], tuple[float, Bot]] = {}

    @property
    def logger(self) -> logging.Logger:
        return self.store.logger

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        """Read the team's bot from the database next time."""
        self._bots.pop((enterprise_id, team_id), None)

    async def bot_token(self, team_id: str) -> str | None:
        """The team's bot token, or None when peerpath is not installed there."""
        bot = await self.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key = (enterprise_id, None if is_enterprise_install else team_id)
        kept = self._bots.get(key)
        if kept is not None and kept[0] > self._monotonic():
            return kept[1]
        bot = await self.store.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None:
            self._bots.pop(key, None)
            return None
        if len(self._bots) >= KEPT_TEAMS:
            self._bots.clear()
        self._bots[key] = (self._monotonic() + self.seconds, bot)
        return bot

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await self.store.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    # Each change forgets the team once it is written, so no lookup made meanwhile keeps
    # what was there before.
    async def async_save(self, installation: Installation) -> None:
        await self.store.async_save(installation)
        self.forget(installation.enterprise_id, installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        await self.store.async_save_bot(bot)
        self.forget(bot.enterprise_id, bot.team_id)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self.store.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)


class Clients:
    """The Web API client for each team: the one token's, or each installation's."""

    def __init__(self, template: AsyncWebClient, installations: Installations | None) -> None:
        """``template`` carries the base URL, timeout and retry handlers (and, with one
        workspace, its token); ``installations`` is None with one workspace."""
        self.template = template
        self.installations = installations
        self.team_id: str | None = None  # one workspace: learnt from auth.test at start
        self._by_token: dict[str, AsyncWebClient] = {}

    @property
    def per_team(self) -> bool:
        return self.installations is not None

    async def for_team(self, team_id: str) -> AsyncWebClient:
        """The client speaking as peerpath's bot in ``team_id``; :class:`NotInstalled`
        when it has no installation there."""
        if self.installations is None:
            if self.team_id is not None and team_id != self.team_id:
                raise NotInstalled(
                    f"peerpath is installed in Slack team {self.team_id}, not {team_id}"
                )
            return self.template
        token = await self.installations.bot_token(team_id)
        if token is None:
            raise NotInstalled(f"peerpath is not installed in Slack team {team_id}")
        client = self._by_token.get(token)
        if client is None:
            if len(self._by_token) >= KEPT_TEAMS:
                self._by_token.clear()
            client = self._by_token[token] = AsyncWebClient(
                token=token,
                base_url=self.template.base_url,
                timeout=self.template.timeout,
                retry_handlers=self.template.retry_handlers,
            )
        return client

    def token_refused(self, team_id: str) -> None:
        """Slack refused the team's token (revoked on another replica's watch): look it
        up again next time rather than trust the memory."""
        if self.installations is not None:
            self.installations.forget(None, team_id)


def authorization_url(api_url: str) -> str:
    """Slack's consent page, next to its Web API (``https://slack.com/api/`` →
    ``https://slack.com/oauth/v2/authorize``), so ``SLACK_API_URL`` moves both."""
    return api_url.rstrip("/").removesuffix("/api") + "/oauth/v2/authorize"


def oauth(
    settings: Settings, engine: AsyncEngine, client: AsyncWebClient, core: Peerpath
) -> tuple[Flow, Installations, Authorize]:
    """The install flow, the cached store and the per-request authorize for many
    workspaces, all on ``engine`` (peerpath's own database)."""
    if settings.slack_bot_token:
        log.warning(
            "slack: SLACK_BOT_TOKEN is set but unused: with SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET each workspace's bot token comes from its installation; "
            "unset SLACK_BOT_TOKEN"
        )
    client_id = settings.slack_client_id or ""
    installations = Installations(AsyncSQLAlchemyInstallationStore(client_id, engine, logger=log))
    states = States(STATE_SECONDS, engine, logger=log)
    public = settings.public_url
    redirect_uri = public.rstrip("/") + REDIRECT_PATH if public else None
    cookies = StateCookies()
    link = install_pages.install_link(redirect_uri)
    pages = install_pages.Pages(core, cookies, link)
    oauth_settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=settings.slack_client_secret,
        scopes=BOT_SCOPES,
        user_scopes=[],
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=pages.success, failure=pages.failure),
        authorization_url=authorization_url(str(client.base_url)),
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
    oauth_settings.state_utils = cookies
    authorize = Authorize(
        logger=log,
        installation_store=installations,
        bot_only=True,
        cache_enabled=True,  # auth.test once per token, not once per request
        client=client,
    )
    exchange = ExchangeClient(
        base_url=client.base_url, timeout=client.timeout, retry_handlers=client.retry_handlers
    )
    return Flow(client=exchange, logger=log, settings=oauth_settings), installations, authorize


def serve(server: OpsServer, flow: Flow) -> None:
    """``GET /slack/install`` (to Slack's consent page, with a one-time state) and
    ``GET /slack/oauth_redirect`` (back from it) on the operations server's port. A
    ``HEAD`` (a link checker, a monitor) is answered 200 with no body and changes
    nothing: no state is issued, none used up."""

    async def install(request: web.Request) -> web.Response:
        return await _browser(flow, flow.handle_installation, request)

    async def redirect(request: web.Request) -> web.Response:
        return await _browser(flow, flow.handle_callback, request)

    async def head(_request: web.Request) -> web.Response:
        return web.Response(status=200, content_type="text/html")

    for path, handler in ((INSTALL_PATH, install), (REDIRECT_PATH, redirect)):
        server.route("GET", path, handler)
        server.route("HEAD", path, head)


async def _browser(
    flow: Flow, step: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]], request: web.Request
) -> web.Response:
    """A step of the flow for a browser; the database away is a page, not a traceback."""
    try:
        return await to_aiohttp_response(await step(await to_bolt_request(request)))
    except TooManyInstalls:
        log.warning("slack: too many installs under way at once; a visitor was asked to wait")
        title, body, wait = "Please try again in a minute", install_pages.BUSY, "60"
    except Exception as error:
        log.warning("slack: an install page failed: %s", type(error).__name__)
        title, body, wait = "peerpath is unavailable", install_pages.UNAVAILABLE, "60"
    link = install_pages.install_link(flow.settings.redirect_uri)
    text = install_pages.page(title, f"<p>{body}</p>{install_pages.again(link)}")
    return web.Response(
        status=503, text=text, content_type="text/html", headers={"Retry-After": wait}
    )


def listen(bolt: AsyncApp, installations: Installations, core: Peerpath) -> None:
    """``app_uninstalled`` and a revoked bot token delete the team's installation and
    tell the core (which keeps the team's data for the retention days)."""

    async def uninstalled(ack: Any, context: Any) -> None:
        await ack()
        await _gone(installations, core, context.enterprise_id, context.team_id)

    async def revoked(ack: Any, context: Any, event: dict[str, Any]) -> None:
        await ack()
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):
            await _gone(installations, core, context.enterprise_id, context.team_id)
            return
        for user_id in tokens.get("oauth") or []:
            await installations.async_delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
            )

    bolt.event("app_uninstalled")(uninstalled)
    bolt.event("tokens_revoked")(revoked)


async def _gone(
    installations: Installations, core: Peerpath, enterprise_id: str | None, team_id: str | None
) -> None:
    """Delete the installation, then tell the core (which logs the removal by team id)."""
    await installations.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
    if team_id:
        await core.uninstalled(PLATFORM, team_id)
