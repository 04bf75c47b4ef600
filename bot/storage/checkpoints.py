"""SQLite's checkpoints, done in the background instead of inside someone's commit.

In WAL mode a commit appends pages to the log, and a checkpoint copies them back into
the database file and syncs it. By default SQLite checkpoints inside whichever commit
takes the log past 1,000 pages, so that command or sweep waits for a copy many times
longer than its own commit (bench/RESULTS.md has the figures). Here a commit
checkpoints only once the log passes ``AUTOCHECKPOINT_PAGES`` (the bound for processes
that run no checkpointer: the console, maintenance commands), and ``peerpath run``
checkpoints every ``INTERVAL`` seconds on a connection of its own, on that
connection's thread: off the event loop, and not holding the engine's connection that
commands wait for. PASSIVE checkpoints never wait for readers or writers, nor block them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import aiosqlite

log = logging.getLogger("peerpath.db")
AUTOCHECKPOINT_PAGES = 10_000  # about 40 MB of log at SQLite's 4 KiB pages
INTERVAL = 2.0  # seconds; a burst of commands writes far less than the bound in that time


async def checkpoint(connection: aiosqlite.Connection) -> tuple[int, int]:
    """Copy what the log holds into the database file; returns (pages in the log,
    pages copied)."""
    async with connection.execute("PRAGMA wal_checkpoint(PASSIVE)") as cursor:
        _busy, in_log, copied = await cursor.fetchone()
    return in_log, copied


async def checkpoint_file(path: Path) -> tuple[int, int]:
    """One checkpoint of the database at ``path``, on a connection opened for it."""
    async with aiosqlite.connect(path) as connection:
        return await checkpoint(connection)


class Checkpointer:
    """Checkpoints the SQLite database at ``path`` every ``interval`` seconds until stopped."""

    def __init__(self, path: Path, interval: float = INTERVAL) -> None:
        self.path = path
        self.interval = interval
        self.done = asyncio.Event()  # set after each round: what tests can await
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="peerpath-checkpoints")

    async def stop(self) -> None:
        """Stop checkpointing (closing the last connection checkpoints what is left)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        connection: aiosqlite.Connection | None = None
        try:
            while True:
                await asyncio.sleep(self.interval)
                try:
                    connection = connection or await aiosqlite.connect(self.path)
                    await checkpoint(connection)
                except Exception:  # the next round tries again; meanwhile commits bound the log
                    log.warning("checkpoint failed", exc_info=True)
                self.done.set()
        finally:
            if connection is not None:
                await connection.close()
