"""The one HTTP server of a ``peerpath run``: health, readiness, metrics, and Slack's events.

Every process serves it on ``PEERPATH_HOST:PEERPATH_PORT``, whatever platforms
it runs, so an orchestrator can probe each replica the same way:

- ``GET /healthz`` — the process is alive (200 as long as the event loop answers).
- ``GET /readyz`` — it should get traffic: the database answers ``SELECT 1``, every
  adapter reports itself connected and reminder sweeps are not failing one after
  another; 503 with the failing part otherwise.
- ``GET /metrics`` — Prometheus text format (see ``bot/metrics.py``).
- ``GET /calendar/<token>.ics`` — a member's calendar feed (``bot/feeds.py``), opened
  only by the signed link ``/calendar`` gave them.
- ``GET /coach/<token>`` and ``/coach/<token>/weeks.csv`` — a group's facilitator page
  and its CSV, behind a signed link (``bot/web/coach.py`` makes both; this only sends).

Adapters add their own routes (Slack HTTP mode: ``POST /slack/events``) with
:meth:`OpsServer.route` before the server starts, and a readiness check with
:meth:`OpsServer.check`.

At shutdown :meth:`OpsServer.drain` closes the listening socket at once, so no new
connection is accepted, and answers what still arrives on open (keep-alive)
connections for those routes with 503, which Slack retries: nothing is
acknowledged that this process would not have time to answer.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import feeds, metrics
from bot.app import Peerpath
from bot.startup import ConfigurationError
from bot.storage import db
from bot.storage.file_watch import DatabaseFileLost
from bot.web import Page, coach

log = logging.getLogger("peerpath.http")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
CALENDAR_PATH = "/calendar/{token}.ics"
# A probe must answer before the orchestrator's own timeout (Kubernetes: 1 s by default).
DATABASE_TIMEOUT = 0.8
# In-flight requests get this long to finish at shutdown (aiohttp's default is 60 s).
DRAIN_SECONDS = 2.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class OpsServer:
    """An aiohttp server with the operations endpoints and whatever routes adapters add."""

    def __init__(self, core: Peerpath, host: str, port: int) -> None:
        self.core = core
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self.accepting = True  # False once shutdown starts: /readyz turns 503, LBs drain
        self._checks: dict[str, tuple[Callable[[], bool], str]] = {}
        self._traffic: set[str] = set()  # the adapters' routes, refused while draining
        self._app = web.Application(middlewares=[self._refuse_when_draining])
        self._app.router.add_get(HEALTH_PATH, self._health)
        self._app.router.add_get(READY_PATH, self._ready)
        self._app.router.add_get(METRICS_PATH, self._metrics)
        self._app.router.add_get(CALENDAR_PATH, self._calendar)
        self._app.router.add_get(coach.PATH, self._coach)
        self._app.router.add_get(coach.CSV_PATH, self._coach)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Serve ``handler`` at ``path`` too (before :meth:`start`); it takes no new
        requests once the server drains."""
        self._app.router.add_route(method, path, handler)
        self._traffic.add(path)

    def check(
        self, name: str, connected: Callable[[], bool], trouble: str = "not connected"
    ) -> None:
        """Count ``name`` as ready only while ``connected()`` is true; else report ``trouble``."""
        self._checks[name] = (connected, trouble)

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> None:
        """Listen; a port in use or a host that is not this machine's is a setting to fix."""
        self._runner = web.AppRunner(self._app, shutdown_timeout=DRAIN_SECONDS, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.requested_port)
        try:
            await self._site.start()
        except OSError as error:
            await self.stop()
            raise ConfigurationError(
                f"Cannot listen on {self.host}:{self.requested_port} "
                f"({os.strerror(error.errno).lower() if error.errno else error}): set "
                "PEERPATH_PORT to a free port "
                "(or PEERPATH_HOST to an address of this machine), or stop what uses it"
            ) from None
        self.port = self._runner.addresses[0][1]
        log.info(
            "serving %s, %s and %s on %s:%s",
            HEALTH_PATH,
            READY_PATH,
            METRICS_PATH,
            self.host,
            self.port,
        )

    async def drain(self) -> None:
        """Stop listening and report not ready; requests already in progress finish."""
        self.accepting = False
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def stop(self) -> None:
        """Close every connection (in-flight requests get ``DRAIN_SECONDS`` to finish)."""
        self._site = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _refuse_when_draining(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        if not self.accepting and request.path in self._traffic:
            return web.Response(
                status=503,
                text="shutting down; try again",
                headers={"Retry-After": "1", "Connection": "close"},
            )
        return await handler(request)

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _ready(self, request: web.Request) -> web.Response:
        """Each part's state on a line; 200 only when all are fine."""
        parts = {"database": await self._database()}
        for name, (connected, trouble) in self._checks.items():
            parts[name] = "ok" if connected() else trouble
        if not self.accepting:
            parts["process"] = "shutting down"
        ready = all(state == "ok" for state in parts.values())
        body = "".join(f"{name}: {state}\n" for name, state in parts.items())
        return web.Response(status=200 if ready else 503, text=body)

    async def _database(self) -> str:
        try:
            await asyncio.wait_for(db.ping(self.core.engine), DATABASE_TIMEOUT)
        except DatabaseFileLost:  # logged once, when it was noticed
            return "file removed or replaced"
        except Exception as error:  # any failure means "not ready"; say which for the operator
            log.warning("readiness: database unreachable: %s", type(error).__name__)
            return "unreachable"
        return "ok"

    async def _calendar(self, request: web.Request) -> web.Response:
        """A member's feed: private to its link, never cached on the way."""
        made = feeds.calendar_feed(self.core, request.match_info["token"])
        return await _send(made, {"Cache-Control": "private, no-store"}, "calendar feed")

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            async with self.core.sessions() as session:
                await asyncio.wait_for(
                    metrics.observe_backlog(session, self.core.clock.now()), DATABASE_TIMEOUT
                )
        except Exception as error:  # the counters are still worth serving without the backlog
            log.warning("metrics: backlog not read: %s", type(error).__name__)
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _coach(self, request: web.Request) -> web.Response:
        """A facilitator's page or CSV; the link is a secret, so it is neither cached nor
        passed on to another site."""
        made = coach.serve(
            self.core,
            request.match_info["token"],
            request.query.get("weeks"),
            as_csv=request.path.endswith(".csv"),
        )
        headers = {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Robots-Tag": "noindex",
        }
        return await _send(made, headers, "coach page")


async def _send(made: Awaitable[Page], headers: dict[str, str], what: str) -> web.Response:
    """Send the core's page with ``headers``; with the database away, a short 503 that
    says to try again (a calendar app and a browser both retry), never a traceback."""
    try:
        page = await made
    except Exception as error:
        log.warning("%s not served: %s", what, type(error).__name__)
        return web.Response(
            status=503,
            text="This is not available right now. Try again in a minute.",
            headers={**headers, "Retry-After": "60"},
        )
    if page.filename:
        headers = {**headers, "Content-Disposition": f'attachment; filename="{page.filename}"'}
    return web.Response(
        status=page.status,
        text=page.body,
        content_type=page.content_type,
        charset="utf-8",
        headers=headers,
    )
