"""The SQLite file stays the one the process opened, or the database counts as gone.

A file removed or replaced under a running process is not an error to SQLite: its
open connection keeps writing to the old file (unlinked, or no longer at that
path), every command still answers "done", and all of it is lost at the next
start. So each time a connection is taken from the pool the path's identity
(device and inode) is compared with the one first opened; once they differ every
unit of work, sweep and readiness probe fails with :class:`DatabaseFileLost` —
commands answer "temporarily unavailable", ``/readyz`` turns 503 — and one ERROR
line says what happened. It stays so until a restart: the process cannot tell a
restored file from a different one.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from bot.errors import TemporarilyUnavailable

log = logging.getLogger("peerpath.db")


class DatabaseFileLost(TemporarilyUnavailable):
    """The SQLite file was removed or replaced while the process ran."""


class FileWatch:
    """Pool listeners that hold a SQLite engine to the file it first opened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None
        self._lost: str | None = None  # why, once noticed

    def connected(self, _dbapi_connection: Any, _record: Any) -> None:
        """A new connection: remember the file it opened (SQLite creates it at open), or,
        when one was opened before, insist it is the same."""
        if self._identity is None and self._lost is None:
            self._identity = self._current()
        self.checked_out(None, None, None)

    def checked_out(self, _dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        """Before any unit of work: raise :class:`DatabaseFileLost` if the file changed."""
        if self._lost is None:
            current = self._current()
            if current == self._identity:
                return
            self._lost = "removed" if current is None else "replaced"
            log.error(
                "the database file %s was %s while peerpath was running: commands answer "
                "'temporarily unavailable' from now on; put the file back (or restore a "
                "backup) and restart peerpath",
                self.path,
                self._lost,
            )
        raise DatabaseFileLost(f"the database file was {self._lost}")

    def _current(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino
