"""Log lines as plain text or JSON, each tagged with the workspace and command at hand.

The core binds ``workspace`` and ``command`` for the length of a command
(:func:`bound`); a filter copies them onto every record logged meanwhile, so an
adapter's or the database's warning says where it happened. Only ids and
command names are bound — never notes, contact names or any other user text.

A text line is one line whatever it quotes (:class:`TextFormatter` escapes newlines
and other control characters; JSON escapes them anyway), so nothing sent to
peerpath can forge a line of its own.

The libraries underneath are not so careful: bolt logs whole request bodies
(even at INFO, for a signature refused for its age), slack_sdk and discord.py log
request and response bodies at DEBUG, SQLAlchemy logs result rows. Any of them
can hold notes, contact names or a live ``response_url``, so :class:`Withheld`
keeps their wording and drops their values, at every level.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(where)s"
_context: ContextVar[dict[str, str] | None] = ContextVar("peerpath_log_context", default=None)
FIELDS = ("workspace", "command")
# Loggers whose records carry only what peerpath chose to put in them.
OWN = ("peerpath", "alembic", "apscheduler")
# A %-style placeholder in a format string.
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")
# Where a message written with its values already in it starts to quote them.
_QUOTING = re.compile(r"[(:{\[<'\"=\n]")
# Characters that would break a text line or forge another (newlines, escapes, controls).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A URL past its host: a response_url's path is its secret.
_URL_PATH = re.compile(r"\b([a-z][a-z0-9+.-]*://[^/\s'\"]+)[^\s'\")\]]*")


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


class Withheld(logging.Filter):
    """Other libraries' records keep their wording, never the values in it.

    A record from outside :data:`OWN` keeps its format string with each placeholder
    shown as "…"; one logged with its values already formatted in (bolt's f-strings)
    keeps only its words up to where it starts quoting them; a traceback shrinks to
    the exception's type. Tracebacks of peerpath's own records keep their frames, with
    every URL cut to its host (a ``response_url`` travels in some exception messages).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.partition(".")[0] in OWN:
            if record.exc_info and not record.exc_text:
                lines = traceback.format_exception(*record.exc_info)
                record.exc_text = _URL_PATH.sub(r"\1/…", "".join(lines).rstrip())
            return True
        message = str(record.msg)
        if record.args:
            message = _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else "…", message)
        else:
            cut = _QUOTING.search(message)
            message = message[: cut.start()].rstrip() + " …" if cut else message
        if record.exc_info and record.exc_info[0] is not None:
            message += f" [{record.exc_info[0].__name__}]"
        record.msg, record.args = message, None
        record.exc_info = record.exc_text = None
        return True


def escaped(text: str) -> str:
    """``text`` on one line: each control character written as its escape (``\\n``)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class TextFormatter(logging.Formatter):
    """:data:`TEXT_FORMAT`, one line per record: a message or argument carrying a
    newline (a query string, a name) cannot start a forged line of its own. Only a
    traceback, below its record's line, spans lines."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escaped(record.message)
        record.where = escaped(getattr(record, "where", ""))
        return super().formatMessage(record)


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
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        # json escapes the C0 controls itself, not DEL, C1 or the Unicode line separators.
        return _CONTROL.sub(
            lambda m: f"\\u{ord(m.group()):04x}", json.dumps(line, ensure_ascii=False)
        )


def configure(level: str, style: str = "text") -> None:
    """Send logs to standard error in ``style`` (``text`` or ``json``) at ``level``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(Withheld())
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if style == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise
