"""The pages a browser sees at the end of "Add to Slack": installed, or why not and what
to do. Bolt's flow calls :meth:`Pages.success` or :meth:`Pages.failure` with its
reason; nothing here shows a token, a code or a traceback."""

from __future__ import annotations

import html
import logging

from slack_bolt.oauth.async_callback_options import AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.response import BoltResponse
from slack_sdk.oauth import OAuthStateUtils

from adapters.slack import PLATFORM
from adapters.slack.manifest import INSTALL_PATH
from bot.app import Peerpath

log = logging.getLogger("peerpath.slack")

AGAIN = f'<p><a href="{INSTALL_PATH}">Start the installation again</a></p>'
# Bolt's reasons for a failed install, as the installer should read them.
REASONS = {
    "access_denied": "The installation was cancelled in Slack, so nothing was installed.",
    "invalid_browser": "This page was opened in another browser than the one that started "
    "the installation (or the browser refused its cookie). Start again in one browser.",
    "invalid_state": "This installation link has expired (it lasts ten minutes) or was "
    "used already.",
    "missing_code": "Slack did not send back its confirmation code.",
    "invalid_code": "Slack did not accept the confirmation (the link was used already, or "
    "the app's SLACK_CLIENT_ID / SLACK_CLIENT_SECRET do not match it).",
    "storage_error": "Slack confirmed, but peerpath could not save the installation: its "
    "database is unavailable. Please try again in a minute.",
}
UNKNOWN = "The installation did not complete."
UNAVAILABLE = (
    "<p>peerpath cannot reach its database right now; nothing was installed. Please try "
    f"again in a minute.</p>{AGAIN}"
)


def page(title: str, body: str) -> str:
    """A small self-contained HTML page (``body`` is HTML made here)."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;"
        "padding:0 1rem;line-height:1.5}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


class Pages:
    """Finishes an installation for the core and answers the browser."""

    def __init__(self, core: Peerpath) -> None:
        self.core = core
        self.cookie = OAuthStateUtils()

    async def success(self, args: AsyncSuccessArgs) -> BoltResponse:
        """Installed (or installed again: the team's kept data is its own again)."""
        installation = args.installation
        if installation.team_id:
            try:
                await self.core.installed(PLATFORM, installation.team_id)
            except Exception as error:  # the token is stored; the next sweep still serves it
                log.warning("slack: an installation not recorded: %s", type(error).__name__)
        team = html.escape(installation.team_name or "your workspace")
        body = (
            f"<p>peerpath is now part of <strong>{team}</strong>.</p>"
            "<p>Open Slack and type <code>/peerpath</code> to see what it does. In the "
            "channel your cohort meets in, <code>/group-setup</code> makes it the group's "
            "home; then each member types <code>/join</code> there.</p>"
        )
        return self._answer(200, page("peerpath is installed", body))

    async def failure(self, args: AsyncFailureArgs) -> BoltResponse:
        """Why the installation did not complete, and a way to start again."""
        log.info("slack: an installation did not complete (%s)", args.reason)
        why = html.escape(REASONS.get(args.reason, UNKNOWN))
        return self._answer(
            args.suggested_status_code, page("peerpath was not installed", f"<p>{why}</p>{AGAIN}")
        )

    def _answer(self, status: int, text: str) -> BoltResponse:
        return BoltResponse(
            status=status,
            body=text,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Set-Cookie": self.cookie.build_set_cookie_for_deletion(),
            },
        )
