"""What a failure to reach Slack at start-up means, in ``bot.startup``'s one line.

``auth.test`` (and, in Socket Mode, ``apps.connections.open``) is the first call a
start makes. A refused token is a setting to fix; a connection refused, a
timeout or a 5xx is an outage to wait out; anything else Slack answers (a 404
from a wrong ``SLACK_API_URL``) is a setting again.
"""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.startup import ConfigurationError, Unreachable, reason

# Slack's answers to a token it will not take.
REFUSED_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
# Slack's answers that say "not now".
PASSING = frozenset({"fatal_error", "internal_error", "service_unavailable", "ratelimited"})
WHERE_TOKENS_ARE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) on your app's OAuth & Permissions page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, under Basic "
    "Information → App-Level Tokens",
}


def explain(error: BaseException, token: str, api_url: str) -> Exception | None:
    """The meaning of ``error`` from a start-up call made with the setting ``token``, or
    None when it is not a failure to reach Slack."""
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 0)
        data = getattr(error.response, "data", None)
        code = data.get("error") if isinstance(data, dict) else None
        if code in REFUSED_TOKEN:
            return ConfigurationError(
                f"Slack refused {token} ({code}): copy {WHERE_TOKENS_ARE[token]} again"
            )
        if code in PASSING or status >= 500:
            return Unreachable(f"Slack at {api_url} answered {code or status}; is Slack down?")
        return ConfigurationError(
            f"{api_url} did not answer as Slack's Web API does ({code or f'HTTP {status}'}): "
            "is SLACK_API_URL right (e.g. https://slack.com/api/)?"
        )
    if isinstance(error, aiohttp.ClientError | OSError | TimeoutError):
        return Unreachable(
            f"Cannot reach Slack at {api_url} ({reason(error)}): is SLACK_API_URL right?"
        )
    return None
