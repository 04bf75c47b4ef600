"""One serving process per SQLite file.

SQLite itself would let two ``peerpath run`` processes open one file, and both
would then sweep the same reminders: SQLite has no ``SKIP LOCKED``, so each
could claim and send what the other claimed. The first process therefore holds
an exclusive ``flock`` on ``<database>.lock`` for its whole life, and a second
one stops at once with a message saying what to do instead. The kernel drops the
lock when the holder exits, however it exits (even ``kill -9``), so a stale lock
file never blocks a restart. The lock is taken beside the file's real path, so a
symlink (or ``..`` in the URL) reaching the same file finds the same lock.
PostgreSQL needs no such lock: its replicas share the work through
``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.startup import ConfigurationError
from bot.storage import db


class AlreadyRunning(Exception):
    """Another process serves this SQLite database."""


@contextmanager
def sole_user(database_url: str) -> Iterator[None]:
    """Hold the database's lock for the ``with`` block; raise AlreadyRunning if taken."""
    given = db.sqlite_path(database_url)
    if given is None:  # PostgreSQL or an in-memory database: nothing to share
        yield
        return
    path = given.resolve()
    lock = path.with_name(path.name + ".lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise ConfigurationError(
            f"Cannot write the database directory {lock.parent} ({error.strerror.lower()}): "
            "set DATABASE_URL to a file in a writable directory, "
            "e.g. sqlite+aiosqlite:///./data/peerpath.db"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise AlreadyRunning(_refusal(path, holder)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _refusal(path: Path, holder: str) -> str:
    return (
        f"Another peerpath process (pid {holder}) is already using {path}. "
        "A SQLite database serves one process at a time: stop the other one first, "
        "or move to PostgreSQL (DATABASE_URL=postgresql+asyncpg://…) to run several."
    )
