"""Time zone names: validation with a helpful suggestion."""

from __future__ import annotations

import difflib
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import UserError


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[str]]:
    """``berlin`` → ``["Europe/Berlin"]``: people usually type the city, often misspelt."""
    cities: dict[str, list[str]] = {}
    for key, name in sorted(_names().items()):
        if "/" in key and not key.startswith(("etc/", "posix/", "right/")):
            cities.setdefault(key.rsplit("/", 1)[1], []).append(name)
    return cities


def suggest(text: str) -> list[str]:
    """Up to three real zone names close to ``text``."""
    key = text.lower()
    whole = difflib.get_close_matches(key, list(_names()), n=3, cutoff=0.6)
    city = difflib.get_close_matches(key.rsplit("/", 1)[-1], list(_cities()), n=3, cutoff=0.6)
    found = [name for c in city for name in _cities()[c]] + [_names()[w] for w in whole]
    return list(dict.fromkeys(found))[:3]


def zone(name: str) -> ZoneInfo:
    """The :class:`ZoneInfo` for an IANA name (case-insensitive), or a friendly error."""
    cleaned = name.strip().replace(" ", "_")
    canonical = _names().get(cleaned.lower())
    if canonical is None:
        suggestions = suggest(cleaned)
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UserError(
            f"`{name[:60]}` is not a time zone name I know.{hint}",
            "/settings tz=Europe/Berlin",
        )
    return ZoneInfo(canonical)
