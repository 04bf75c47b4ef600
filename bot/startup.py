"""Start-up failures in one line: a setting to fix, or a service to wait for.

The parts that connect to something (the database, each platform's adapter)
translate what their libraries raise into one of two errors, whose message is
one line naming the setting or service and what to do. The composition root
(``bot/cli.py``) then treats every part alike: a :class:`ConfigurationError`
prints its line and exits with :data:`CONFIG_EXIT` (retrying cannot fix a
wrong setting, and an orchestrator should not restart in a loop); an
:class:`Unreachable` service is logged and tried again with backoff while
``/healthz`` answers and ``/readyz`` names what is missing.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterator

# Exit status for a configuration error (a bad setting, URL, time zone, token, directory
# or port), distinct from 1 (an unexpected failure) and 3 (the database is in use).
CONFIG_EXIT = 2
# Seconds between attempts to reach a service that is down; the last one repeats.
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)

log = logging.getLogger("peerpath")


class ConfigurationError(Exception):
    """A setting is wrong; the message names it and says how to fix it."""


class Unreachable(Exception):
    """A service did not answer; the message names it and the setting that points at it."""


def reason(error: BaseException) -> str:
    """Why a connection failed, in a few words (``connection refused``, ``timed out``…)."""
    for cause in _causes(error):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, TimeoutError):
            return "timed out"
        if isinstance(cause, ssl.SSLError):
            return "TLS handshake failed"
        if isinstance(cause, ConnectionError):
            return "connection lost"
    return type(error).__name__


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and what it wraps: aiohttp's ``os_error``, explicit and implicit causes."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "os_error", None)
        pending += [wrapped if isinstance(wrapped, BaseException) else None]
        pending += [current.__cause__, current.__context__]


async def keep_trying(step: Callable[[], Awaitable[None]], stop: asyncio.Event) -> bool:
    """Run ``step`` until it succeeds (True) or ``stop`` is set first (False; a step in
    progress is cancelled).

    An :class:`Unreachable` service is logged in one line and tried again after the
    next :data:`BACKOFF` delay; a :class:`ConfigurationError` is raised to the caller."""
    stopped = asyncio.ensure_future(stop.wait())
    attempt = 0
    try:
        while True:
            trying = asyncio.ensure_future(step())
            await asyncio.wait({trying, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not trying.done():
                trying.cancel()
                await asyncio.gather(trying, return_exceptions=True)
                return False
            try:
                trying.result()
                return True
            except Unreachable as error:
                delay = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                attempt += 1
                log.warning("%s retrying in %g s", error, delay)
            await asyncio.wait({stopped}, timeout=delay)
            if stopped.done():
                return False
    finally:
        stopped.cancel()
