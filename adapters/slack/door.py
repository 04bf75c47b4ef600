"""The HTTP way in to Slack's events: checked before anything reads the body.

First the signature (slack_sdk's verifier; 401): headers that are not a number
and a ``v0=`` digest are refused before the verifier, which would raise on them,
sees them. Then the body's encoding and shape (``payloads``; 400). Bolt routes
only what passed, rebuilt from the validated fields, and — its own check switched
off — never logs a refused body. Nothing about a refused request is logged but
why.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from adapters.slack import payloads

log = logging.getLogger("peerpath.slack")

EVENTS_PATH = "/slack/events"
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Door:
    """``POST /slack/events`` for one bolt app."""

    def __init__(self, signing_secret: str, bolt: AsyncApp) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.bolt = bolt

    async def events(self, request: web.Request) -> web.Response:
        """Slash commands, interactivity and events: verified, validated, then routed."""
        try:
            raw = await request.text()  # beyond aiohttp's client_max_size: 413
        except UnicodeDecodeError:
            return web.Response(status=400, text="unreadable body")
        if not self.signed(raw, request.headers):
            return web.Response(status=401, text="invalid request signature")
        try:
            body = payloads.accepted(parse_body(raw, request.content_type))
        except ValueError as error:  # bad JSON, or not a shape peerpath serves
            log.warning("slack: refused a request body: %s", _why(error))
            return web.Response(status=400, text="unreadable or misshapen body")
        routed = AsyncBoltRequest(
            body=json.dumps(body),
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]
        )
        return await to_aiohttp_response(await self.bolt.async_dispatch(routed))

    def signed(self, body: str, headers: Mapping[str, str]) -> bool:
        """Slack's signature over ``body``, made within the last five minutes."""
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        return bool(
            TIMESTAMP.fullmatch(stamp)
            and SIGNATURE.fullmatch(signature)
            and self.verifier.is_valid(body, stamp, signature)
        )


def _why(error: ValueError) -> str:
    """A refusal's reason without the body: ``payloads`` names fields; a JSON error would
    quote the body, so only its kind is given."""
    return str(error) if isinstance(error, payloads.Misshapen) else type(error).__name__
