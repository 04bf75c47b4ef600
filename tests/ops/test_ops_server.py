"""The operations server in process: liveness, readiness and Prometheus metrics that move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web

from adapters.http import OpsServer
from bot.app import Peerpath
from bot.clock import SimulatedClock
from scheduling.runner import Scheduler
from tests.ops.processes import http_get, parse_metrics
from tests.support import Person, RecordingNotifier, outbox

OUTREACH_OK = 'peerpath_commands_total{command="/outreach",outcome="ok"}'
OUTREACH_REFUSED = 'peerpath_commands_total{command="/outreach",outcome="refused"}'
OUTREACH_TIMED = 'peerpath_command_duration_seconds_count{command="/outreach"}'
DUPLICATE = 'peerpath_commands_total{command="/outreach",outcome="duplicate"}'


@pytest.fixture
async def server(app: Peerpath) -> AsyncIterator[OpsServer]:
    running = OpsServer(app, "127.0.0.1", 0)
    await running.start()
    yield running
    await running.stop()


async def get(server: OpsServer, path: str) -> tuple[int, str]:
    return await http_get(f"http://127.0.0.1:{server.port}{path}")


async def scrape(server: OpsServer) -> dict[str, float]:
    status, text = await get(server, "/metrics")
    assert status == 200
    return parse_metrics(text)


async def test_alive_and_ready_with_a_reachable_database(server: OpsServer) -> None:
    assert await get(server, "/healthz") == (200, "ok")
    assert await get(server, "/readyz") == (200, "database: ok\n")


async def test_not_ready_while_an_adapter_is_disconnected_or_shutting_down(
    server: OpsServer,
) -> None:
    connected = False
    server.check("slack", lambda: connected)
    assert await get(server, "/readyz") == (503, "database: ok\nslack: not connected\n")
    connected = True
    assert (await get(server, "/readyz"))[0] == 200
    server.accepting = False
    status, body = await get(server, "/readyz")
    assert status == 503 and "process: shutting down" in body
    assert (await get(server, "/healthz"))[0] == 200  # still alive while it drains


async def test_command_counters_and_latency_move(server: OpsServer, ann: Person) -> None:
    before = await scrape(server)
    assert (await ann.say('/outreach "Jane Doe"')).title == "Outreach logged"
    assert (await ann.say('/outreach "Jo Roe"', request_id="slack:retry-1")).is_error is False
    assert (await ann.say('/outreach "Jo Roe"', request_id="slack:retry-1")).text.startswith(
        "Already done"
    )
    assert (await ann.say("/outreach via=pigeon")).is_error  # no contact, bad channel
    assert (await ann.say('/outreach "Jo Roe" via=email via=phone')).is_error  # not parsed
    after = await scrape(server)
    assert after[OUTREACH_OK] - before[OUTREACH_OK] == 2
    assert after[DUPLICATE] - before[DUPLICATE] == 1
    assert after[OUTREACH_REFUSED] - before[OUTREACH_REFUSED] == 2
    # Timed: the four that reached the database; text that did not parse never did.
    assert after[OUTREACH_TIMED] - before[OUTREACH_TIMED] == 4
    assert after["process_open_fds{}"] > 0  # the process collector comes along


async def test_reminder_backlog_lag_and_sweep_counts(
    server: OpsServer, app: Peerpath, ann: Person, clock: SimulatedClock
) -> None:
    await ann.say("/settings quiet=off")
    assert (await ann.say('/logged-interview "Jane Doe"')).title == "Interview logged"
    idle = await scrape(server)
    assert idle["peerpath_nudges_due{}"] == 0
    assert idle["peerpath_nudge_delivery_lag_seconds{}"] == 0

    clock.advance(timedelta(days=2))  # the 24-hour thank-you reminder is a day late
    waiting = await scrape(server)
    assert waiting["peerpath_nudges_due{}"] >= 1
    assert waiting["peerpath_nudge_delivery_lag_seconds{}"] >= timedelta(days=1).total_seconds()

    notifier = RecordingNotifier()
    report = await Scheduler(outbox(app, {"console": notifier})).tick()
    assert report.sent >= 1 and notifier.received
    swept = await scrape(server)
    sent = 'peerpath_nudges_total{outcome="sent"}'
    assert swept[sent] - waiting[sent] == report.sent
    assert (
        swept["peerpath_sweep_duration_seconds_count{}"]
        > waiting["peerpath_sweep_duration_seconds_count{}"]
    )
    assert swept["peerpath_nudges_due{}"] == 0
    assert swept["peerpath_nudge_delivery_lag_seconds{}"] == 0


async def test_draining_refuses_new_connections_and_answers_503_on_open_ones(
    app: Peerpath,
) -> None:
    """At SIGTERM nothing new is acknowledged: the listening socket closes at once, and a
    request still arriving on a kept-alive connection gets 503 (which Slack retries)."""
    server = OpsServer(app, "127.0.0.1", 0)
    handled: list[str] = []

    async def traffic(request: web.Request) -> web.Response:
        handled.append(request.path)
        return web.Response(text="")

    server.route("POST", "/slack/events", traffic)
    await server.start()
    url = f"http://127.0.0.1:{server.port}"
    try:
        async with aiohttp.ClientSession() as kept:  # one connection, kept alive
            async with kept.post(f"{url}/slack/events") as before:
                assert before.status == 200
            await server.drain()
            async with kept.get(f"{url}/readyz") as ready:
                assert ready.status == 503
            async with kept.post(f"{url}/slack/events") as during:  # and then it closes
                assert during.status == 503 and during.headers["Retry-After"] == "1"
        with pytest.raises(aiohttp.ClientConnectionError):
            await http_get(f"{url}/healthz")  # a new connection: nobody listens any more
    finally:
        await server.stop()
    assert handled == ["/slack/events"]
