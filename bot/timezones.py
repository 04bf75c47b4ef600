"""Time zone names: validation with a helpful suggestion."""

from __future__ import annotations

import difflib
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import UserError


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def zone(name: str) -> ZoneInfo:
    """The :class:`ZoneInfo` for an IANA name (case-insensitive), or a friendly error."""
    cleaned = name.strip().replace(" ", "_")
    canonical = _names().get(cleaned.lower())
    if canonical is None:
        guesses = difflib.get_close_matches(cleaned.lower(), list(_names()), n=3, cutoff=0.6)
        cities = [n for key, n in _names().items() if key.endswith("/" + cleaned.lower())]
        suggestions = cities[:3] or [_names()[g] for g in guesses]
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UserError(
            f"`{name[:60]}` is not a time zone name I know.{hint}",
            "/settings tz=Europe/Berlin",
        )
    return ZoneInfo(canonical)
