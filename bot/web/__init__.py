"""Pages served over HTTP: server-rendered, read-only, behind signed links.

The core makes each :class:`Page` (the facilitator's page and CSV in ``coach``, a member's
calendar feed in ``bot/feeds.py``); ``adapters/http.py`` only sends it.
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    """What one request is answered with."""

    status: int
    body: str
    content_type: str  # text/html, text/csv, text/calendar, text/plain
    filename: str | None = None  # a download's name
