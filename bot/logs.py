"""Log lines as plain text or JSON, each tagged with the workspace and command at hand.

The core binds ``workspace`` and ``command`` for the length of a command
(:func:`bound`); a filter copies them onto every record logged meanwhile, so an
adapter's or the database's warning says where it happened. Only ids and
command names are bound — never notes, contact names or any other user text.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(where)s"
_context: ContextVar[dict[str, str] | None] = ContextVar("peerpath_log_context", default=None)
FIELDS = ("workspace", "command")


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    """Tag every record logged inside (in this task) with ``fields``."""
    token = _context.set({**(_context.get() or {}), **fields})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Copies the bound fields onto each record (and a text suffix for the plain format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get() or {}
        for name in FIELDS:
            setattr(record, name, fields.get(name))
        shown = " ".join(f"{k}={v}" for k, v in fields.items() if k in FIELDS and v)
        record.where = f" [{shown}]" if shown else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, bound fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(level: str, style: str = "text") -> None:
    """Send logs to standard error in ``style`` (``text`` or ``json``) at ``level``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if style == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise
