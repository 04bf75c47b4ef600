"""The floor for a Slack slash command: verify the signature, ack, post one reply.

    python -m bench.floor_server PORT

A bare aiohttp server (``SLACK_SIGNING_SECRET`` from the environment) that does what
any Slack app must — check the HMAC with ``slack_sdk``, answer 200 at once, then post
a plain message to the command's ``response_url`` — and nothing else: no bolt, no
database, no rendering. ``/healthz`` answers when it is listening.
"""

from __future__ import annotations

import asyncio
import os
import sys
from urllib.parse import parse_qs

from aiohttp import ClientSession, web
from slack_sdk.signature import SignatureVerifier


def application(secret: str) -> web.Application:
    verifier = SignatureVerifier(secret)
    tasks: set[asyncio.Task] = set()

    async def reply(session: ClientSession, url: str) -> None:
        async with session.post(url, json={"text": "ok", "response_type": "ephemeral"}):
            pass

    async def events(request: web.Request) -> web.Response:
        body = await request.text()
        if not verifier.is_valid_request(body, dict(request.headers)):
            return web.Response(status=401)
        url = parse_qs(body)["response_url"][0]
        task = asyncio.create_task(reply(request.app["client"], url))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return web.Response(status=200)

    async def health(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def client(app: web.Application):  # noqa: ANN202 (aiohttp cleanup context)
        async with ClientSession() as session:
            app["client"] = session
            yield

    app = web.Application()
    app.cleanup_ctx.append(client)
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", health)
    return app


if __name__ == "__main__":
    web.run_app(
        application(os.environ["SLACK_SIGNING_SECRET"]),
        host="127.0.0.1",
        port=int(sys.argv[1]),
        print=None,
    )
