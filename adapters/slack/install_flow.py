"""Bolt's "Add to Slack" flow, made to hold up in front of real browsers and outages.

Bolt keeps one state in one cookie, so a second install started in the same browser
(another tab) overwrote the first one's cookie and both failed. :class:`StateCookies`
sets one cookie per state, named after it, and lets it outlive the link
(:data:`COOKIE_SECONDS`), so an expired link is explained as expired rather than as
"another browser". A return whose state is no longer live (used, expired, or never
issued) is answered "expired or used already" whatever the cookies say; only a live
state without its cookie is "another browser".

slack_sdk's state store answers "no such state" when the database is unreachable;
:class:`States` lets the error through, so the browser sees the database-unavailable
page, consumes a state atomically, clears abandoned states and bounds how many live
at once (:data:`LIVE_STATES`: every unauthenticated visit to ``/slack/install`` writes
one). Bolt logs the one-time OAuth ``code`` when Slack refuses it and cannot tell
Slack failing from a wrong secret; :class:`ExchangeClient` raises :class:`Refused`
instead, and the flow logs one line saying what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import AsyncFailureArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth import OAuthStateUtils
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from sqlalchemy import and_, func, select

log = logging.getLogger("peerpath.slack")

STATE_SECONDS = 600  # an install link is good for ten minutes (slack_sdk's default)
COOKIE_SECONDS = 24 * 3600  # a state's cookie outlives it, so "expired" can be told
LIVE_STATES = 1000  # installs under way at once, at most (each visit writes a state)
# What Slack says when the app's own credentials are wrong.
BAD_CREDENTIALS = frozenset({"bad_client_id", "bad_client_secret", "invalid_client_id"})


class Refused(Exception):
    """Slack did not exchange the code: why, as a reason :mod:`install_pages` explains."""

    def __init__(self, error: str, status: int) -> None:
        super().__init__(error)
        self.error = error
        self.status = status

    @property
    def reason(self) -> str:
        if self.error in BAD_CREDENTIALS:
            return "bad_credentials"
        if self.status == 0 or self.status >= 500:
            return "slack_failed"
        return "invalid_code"

    def log(self) -> None:
        """One line for whoever runs peerpath; never the code itself."""
        if self.reason == "bad_credentials":
            log.warning(
                "slack: Slack refused the app's credentials (%s): check SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET (the app's Basic Information → App Credentials)",
                self.error,
            )
        elif self.reason == "slack_failed":
            log.warning(
                "slack: Slack failed to complete an installation (%s); the installer was "
                "asked to try again later",
                self.error if self.status == 0 else f"HTTP {self.status}",
            )


class ExchangeClient(AsyncWebClient):
    """The flow's client: a refusal or failure is :class:`Refused`, which bolt's flow
    does not catch (it would log the code with it)."""

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        try:
            return await super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            raise Refused(
                str(error.response.get("error") or ""), error.response.status_code
            ) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Refused(type(error).__name__, 0) from None


class StateCookies(OAuthStateUtils):
    """One cookie per install under way, named after its state."""

    def __init__(self) -> None:
        super().__init__(expiration_seconds=COOKIE_SECONDS)

    def name(self, state: str) -> str:
        return f"{self.cookie_name}-{state}"

    def build_set_cookie_for_new_state(self, state: str) -> str:
        return f"{self.name(state)}=1; Secure; HttpOnly; Path=/; Max-Age={COOKIE_SECONDS}"

    def deletion(self, state: str) -> str:
        """The header forgetting the state's cookie once its install is over."""
        return f"{self.name(state)}=; Secure; HttpOnly; Path=/; Max-Age=0"

    def is_valid_browser(
        self, state: str | None, request_headers: Mapping[str, str | Sequence[str]]
    ) -> bool:
        if not state or not request_headers:
            return False
        cookies = request_headers.get("cookie") or []
        wanted = self.name(state)
        for header in [cookies] if isinstance(cookies, str) else cookies:
            for part in header.split(";"):
                if part.strip().partition("=")[0] == wanted:
                    return True
        return False


class TooManyInstalls(Exception):
    """More installs under way than :data:`LIVE_STATES`: the visitor is asked to wait."""


class States(AsyncSQLAlchemyOAuthStateStore):
    """slack_sdk's store, letting a database error through rather than "no state"."""

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state; expired ones (installs never finished, which slack_sdk keeps for
        ever) are deleted first, and none is issued past :data:`LIVE_STATES`."""
        table = self.oauth_states
        async with self.engine.begin() as connection:
            await connection.execute(table.delete().where(table.c.expire_at < self._now()))
            live = await connection.scalar(select(func.count()).select_from(table))
        if (live or 0) >= LIVE_STATES:
            raise TooManyInstalls
        return await super().async_issue(*args, **kwargs)

    async def async_consume(self, state: str) -> bool:
        """Whether ``state`` was live; it is not any more (one delete: two returns with
        the same link cannot both pass)."""
        c = self.oauth_states.c
        async with self.engine.begin() as connection:
            gone = await connection.execute(
                self.oauth_states.delete().where(and_(c.state == state, c.expire_at > self._now()))
            )
        return gone.rowcount > 0

    async def alive(self, state: str) -> bool:
        """Whether ``state`` was issued and is neither used nor expired."""
        c = self.oauth_states.c
        async with self.engine.connect() as connection:
            found = await connection.scalar(
                select(func.count())
                .select_from(self.oauth_states)
                .where(and_(c.state == state, c.expire_at > self._now()))
            )
        return bool(found)

    @staticmethod
    def _now() -> datetime:
        return normalize_datetime_for_db(datetime.now(UTC))


class Flow(AsyncOAuthFlow):
    """Bolt's flow with :class:`StateCookies`, :class:`States` and :class:`Refused`; a
    store that cannot save (the database away) is the failure page, not a traceback."""

    async def handle_callback(self, request: AsyncBoltRequest) -> BoltResponse:
        state = request.query.get("state", [None])[0]
        states = self.settings.state_store
        if (
            "error" not in request.query
            and state
            and isinstance(states, States)
            and not self.settings.state_utils.is_valid_browser(state, request.headers)
            and not await states.alive(state)
        ):
            return await self._failed(request, "invalid_state", 401)
        try:
            return await super().handle_callback(request)
        except Refused as refused:
            refused.log()
            status = {"bad_credentials": 500, "slack_failed": 502}.get(refused.reason, 401)
            return await self._failed(request, refused.reason, status)

    async def _failed(self, request: AsyncBoltRequest, reason: str, status: int) -> BoltResponse:
        return await self.failure_handler(
            AsyncFailureArgs(
                request=request,
                reason=reason,
                suggested_status_code=status,
                settings=self.settings,
                default=self.default_callback_options,
            )
        )

    async def store_installation(
        self, request: AsyncBoltRequest, installation: Installation
    ) -> None:
        try:
            await super().store_installation(request, installation)
        except BoltError:
            raise
        except Exception as error:
            raise BoltError(f"installation not stored: {type(error).__name__}") from error
