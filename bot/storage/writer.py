"""The one writer a SQLite file allows, as one queue that commands and the outbox share.

SQLite lets one connection write at a time, and peerpath gives a SQLite file a pool of
one connection. Whatever writes — a command's unit of work, the outbox's bookkeeping
after a send (marking sent, retries, lease renewals) — takes its turn here first, then
the connection: waiting here is a plain coroutine, not a session and a greenlet held in
the pool, so a burst of a thousand commands costs a thousand small waits (the memory
the allocator otherwise kept after the burst). Nobody asks for a turn while holding the
connection, so the two cannot wait on each other.

PostgreSQL has many writers: there a turn is granted at once and the database's own
locks decide. (Sweeps not overlapping each other is the scheduler's rule, not this one.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Writer:
    """Turns to write: a queue on SQLite, none on PostgreSQL."""

    def __init__(self, single: bool) -> None:
        self._lock = asyncio.Lock() if single else None

    @property
    def single(self) -> bool:
        """Whether writes take turns (a SQLite file)."""
        return self._lock is not None

    @asynccontextmanager
    async def turn(self, within: float | None = None) -> AsyncIterator[None]:
        """Hold the turn to write; ``TimeoutError`` if it is not given ``within`` seconds."""
        if self._lock is None:
            yield
            return
        async with asyncio.timeout(within):
            await self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()
