"""The pages a browser sees at the end of "Add to Slack": installed, or why not and what
to do. Bolt's flow calls :meth:`Pages.success` or :meth:`Pages.failure` with its
reason; nothing here shows a token, a code or a traceback."""

from __future__ import annotations

import html
import logging

from slack_bolt.oauth.async_callback_options import AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack import PLATFORM
from adapters.slack.install_flow import StateCookies
from adapters.slack.manifest import INSTALL_PATH, REDIRECT_PATH
from bot.app import Peerpath

log = logging.getLogger("peerpath.slack")

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
    "bad_credentials": "Slack did not accept this peerpath's app credentials, so nothing "
    "was installed. Whoever runs peerpath must check SLACK_CLIENT_ID and "
    "SLACK_CLIENT_SECRET.",
    "slack_failed": "Slack could not complete the installation just now; nothing was "
    "installed. Please try again later.",
}
UNKNOWN = "The installation did not complete."
UNAVAILABLE = (
    "peerpath cannot reach its database right now; nothing was installed. Please try "
    "again in a minute."
)
BUSY = "Too many installations are under way at once. Please try again in a minute."


def install_link(redirect_uri: str | None) -> str:
    """``/slack/install`` where the browser reaches it: under ``PEERPATH_PUBLIC_URL``
    (and its path, e.g. ``https://host/base/slack/install``) when known."""
    if redirect_uri and redirect_uri.endswith(REDIRECT_PATH):
        return redirect_uri.removesuffix(REDIRECT_PATH) + INSTALL_PATH
    return INSTALL_PATH


def again(link: str) -> str:
    """The way to start over, as HTML."""
    return f'<p><a href="{html.escape(link)}">Start the installation again</a></p>'


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

    def __init__(self, core: Peerpath, cookies: StateCookies, link: str) -> None:
        self.core = core
        self.cookies = cookies
        self.link = link

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
        return self._answer(args.request, 200, page("peerpath is installed", body))

    async def failure(self, args: AsyncFailureArgs) -> BoltResponse:
        """Why the installation did not complete, and a way to start again."""
        known = args.reason in REASONS  # Slack's ``error`` is whatever the link said
        log.info("slack: an installation did not complete (%s)", args.reason if known else "other")
        why = html.escape(REASONS[args.reason] if known else UNKNOWN)
        text = page("peerpath was not installed", f"<p>{why}</p>{again(self.link)}")
        return self._answer(args.request, args.suggested_status_code, text)

    def _answer(self, request: AsyncBoltRequest, status: int, text: str) -> BoltResponse:
        """The page; the install's own state cookie is forgotten (others stay)."""
        headers = {"Content-Type": "text/html; charset=utf-8"}
        state = request.query.get("state", [None])[0]
        if state:
            headers["Set-Cookie"] = self.cookies.deletion(state)
        return BoltResponse(status=status, body=text, headers=headers)
