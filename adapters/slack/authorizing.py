"""Which bot a request from an installed team speaks as — and what a member hears when
peerpath cannot tell.

Bolt's ``AsyncInstallationStoreAuthorize`` swallows any error from the installation
store and reports "no installation", so a database outage would tell the member to
reinstall (and lose the command). :class:`Authorize` looks the team's bot up first:
a lookup that fails, or has not answered within :data:`LOOKUP_SECONDS` (a locked
database would hold the acknowledgement past Slack's 3 s), is the database being away;
a lookup that finds nothing is a team that removed the app. Either way it lets the
request through without a token and marks the context; the first of the app's own
middleware (:func:`unserved_middleware`) then answers the member in peerpath's words
(the core's "Temporarily unavailable", or how to add peerpath again) instead of bolt's
apology and its ERROR line per request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse

from adapters.slack.blocks import fallback_text, reply_blocks
from adapters.slack.manifest import INSTALL_PATH
from bot.app import UNAVAILABLE
from bot.config import Settings
from bot.replies import Reply
from bot.services.workspaces import not_installed

log = logging.getLogger("peerpath.slack")

# Slack wants the acknowledgement within 3 s; a database that has not given the token by
# then is taken to be away (the lookup goes on, and a later request finds its result).
LOOKUP_SECONDS = 2.0
UNSERVED = "peerpath_unserved"  # the context key: why the request has no bot token
DATABASE_AWAY, NOT_INSTALLED = "database away", "not installed"


class Authorize(AsyncInstallationStoreAuthorize):
    """Bolt's per-team authorize, which never takes the database away for an uninstall."""

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        lookup = asyncio.ensure_future(
            self.installation_store.async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=context.is_enterprise_install,
            )
        )
        lookup.add_done_callback(_settled)
        try:  # the store keeps what it finds, so bolt's own lookup below is a memory read
            bot = await asyncio.wait_for(asyncio.shield(lookup), LOOKUP_SECONDS)
        except Exception as error:
            log.warning(
                "slack: a request from workspace %s not served, the database is unavailable (%s)",
                team_id,
                type(error).__name__,
            )
            return _unserved(context, DATABASE_AWAY, enterprise_id, team_id, user_id)
        if bot is None:
            log.info("slack: a request from workspace %s, where peerpath is not installed", team_id)
            return _unserved(context, NOT_INSTALLED, enterprise_id, team_id, user_id)
        return await super().__call__(
            context=context, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )


def _settled(lookup: asyncio.Future[Any]) -> None:
    """A lookup given up on (too slow) may still fail later: its error was told already."""
    if not lookup.cancelled():
        lookup.exception()


def _unserved(
    context: AsyncBoltContext,
    why: str,
    enterprise_id: str | None,
    team_id: str | None,
    user_id: str | None,
) -> AuthorizeResult:
    context[UNSERVED] = why
    return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)


def install_url(settings: Settings) -> str | None:
    """Where a workspace admin adds peerpath (None without ``PEERPATH_PUBLIC_URL``)."""
    public = settings.public_url
    return public.rstrip("/") + INSTALL_PATH if public else None


def gone(settings: Settings) -> str:
    """Bolt's own answer when a team's token is refused: peerpath's words, not bolt's."""
    return fallback_text(not_installed(install_url(settings)))


def unserved_middleware(settings: Settings) -> Callable[..., Awaitable[BoltResponse]]:
    """The global middleware answering a request :class:`Authorize` let through unserved:
    acknowledged at once, and the member told why where Slack gave a way to answer."""
    answers = {DATABASE_AWAY: UNAVAILABLE, NOT_INSTALLED: not_installed(install_url(settings))}

    async def unserved(
        context: AsyncBoltContext,
        respond: AsyncRespond | None,
        next: Callable[[], Awaitable[BoltResponse]],  # noqa: A002 (bolt's argument name)
    ) -> BoltResponse:
        why = context.get(UNSERVED)
        if why is None:
            return await next()
        reply: Reply = answers[why]
        if respond is not None and context.response_url:
            try:
                await respond(
                    text=fallback_text(reply),
                    blocks=[block.to_dict() for block in reply_blocks(reply)],
                    response_type="ephemeral",
                )
            except Exception as error:  # Slack away too: the acknowledgement still goes
                log.warning("slack: an unserved request not answered: %s", type(error).__name__)
        return BoltResponse(status=200, body="")

    return unserved
