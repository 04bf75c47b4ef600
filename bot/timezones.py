"""Time zone names: validation with a helpful suggestion.

Only IANA names of places are accepted (``Europe/Berlin``), because only they know when
daylight saving starts. An abbreviation (``EST``, ``CET``, ``PST``, ``IST``) is refused
with the names it may mean — even where the tz database has a zone of that name: its
``EST`` is fixed at UTC-5 all year, which is not what someone in New York means.
Whether a word is an abbreviation comes from the tz database itself (every name its
zones go by, winter and summer); which places to suggest first for the common ones is
ours to say, in :data:`USUAL_PLACES`.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import UserError

EXAMPLE = "/settings tz=Europe/Berlin"
NAMES_YEAR = 2026
# Where people who type an abbreviation usually are, most likely first.
USUAL_PLACES: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York", "America/Toronto"),
    "edt": ("America/New_York", "America/Toronto"),
    "et": ("America/New_York", "America/Toronto"),
    "cst": ("America/Chicago", "America/Mexico_City", "Asia/Shanghai"),
    "cdt": ("America/Chicago", "America/Winnipeg"),
    "ct": ("America/Chicago", "America/Winnipeg"),
    "mst": ("America/Denver", "America/Phoenix", "America/Edmonton"),
    "mdt": ("America/Denver", "America/Edmonton"),
    "mt": ("America/Denver", "America/Phoenix"),
    "pst": ("America/Los_Angeles", "America/Vancouver"),
    "pdt": ("America/Los_Angeles", "America/Vancouver"),
    "pt": ("America/Los_Angeles", "America/Vancouver"),
    "gmt": ("Europe/London", "UTC"),
    "bst": ("Europe/London",),
    "cet": ("Europe/Berlin", "Europe/Paris", "Europe/Madrid"),
    "cest": ("Europe/Berlin", "Europe/Paris", "Europe/Madrid"),
    "eet": ("Europe/Athens", "Europe/Helsinki", "Africa/Cairo"),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "aest": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"),
    "aedt": ("Australia/Sydney", "Australia/Melbourne"),
    "hst": ("Pacific/Honolulu",),
    "wet": ("Europe/Lisbon", "Atlantic/Canary"),
    "msk": ("Europe/Moscow",),
    "sgt": ("Asia/Singapore",),
    "hkt": ("Asia/Hong_Kong",),
    "brt": ("America/Sao_Paulo",),
}
# The tz database's own legacy rule names (``EST5EDT``) are abbreviations too.
_LEGACY_RULE = re.compile(r"^[a-z]{3,4}\d{1,2}([a-z]{3,4})?$")
_PLACE = re.compile(r"^(africa|america|antarctica|asia|atlantic|australia|europe|indian|pacific)/")


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


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, list[str]]:
    """``cet`` → the places whose clocks are called CET in winter or summer, by the tz
    database's rules for :data:`NAMES_YEAR` (fixed, so the answer never depends on when
    it is asked; abbreviations change far more slowly than peerpath is released)."""
    moments = (
        datetime(NAMES_YEAR, 1, 15, 12, tzinfo=UTC),
        datetime(NAMES_YEAR, 7, 15, 12, tzinfo=UTC),
    )
    found: dict[str, list[str]] = {}
    for key, name in sorted(_names().items()):
        if not _PLACE.match(key):
            continue
        zone = ZoneInfo(name)
        for moment in moments:
            short = (moment.astimezone(zone).tzname() or "").lower()
            if short.isalpha() and name not in found.get(short, []):
                found.setdefault(short, []).append(name)
    return found


def suggest(text: str) -> list[str]:
    """Up to three real zone names close to ``text``."""
    key = text.lower()
    whole = difflib.get_close_matches(key, list(_names()), n=3, cutoff=0.6)
    city = difflib.get_close_matches(key.rsplit("/", 1)[-1], list(_cities()), n=3, cutoff=0.6)
    found = [name for c in city for name in _cities()[c]] + [_names()[w] for w in whole]
    return [name for name in dict.fromkeys(found) if places_for(name) is None][:3]


def places_for(text: str) -> list[str] | None:
    """The IANA names an abbreviation may mean (at most three), or ``None`` when ``text``
    is not an abbreviation. ``UTC`` is a zone in its own right, not an abbreviation."""
    key = text.strip().lower()
    if "/" in key or key == "utc":  # a place's name, or UTC itself
        return None
    if key in USUAL_PLACES:
        return list(USUAL_PLACES[key])
    if key in _abbreviations():
        return _abbreviations()[key][:3]
    if _LEGACY_RULE.match(key):  # EST5EDT and its kind: the rule of a US zone
        return list(USUAL_PLACES.get(key[:3], USUAL_PLACES["et"]))
    return None


def zone(name: str) -> ZoneInfo:
    """The :class:`ZoneInfo` for an IANA name (case-insensitive), or a friendly error."""
    cleaned = name.strip().replace(" ", "_")
    places = places_for(cleaned)
    if places is not None:
        raise UserError(
            f"`{name[:60]}` is an abbreviation; peerpath needs the name of a place, which "
            f"also knows its daylight-saving rules. Did you mean {_either(places)}?",
            f"/settings tz={places[0]}",
        )
    canonical = _names().get(cleaned.lower())
    if canonical is None:
        suggestions = suggest(cleaned)
        hint = f" Did you mean {_either(suggestions)}?" if suggestions else ""
        raise UserError(f"`{name[:60]}` is not a time zone name I know.{hint}", EXAMPLE)
    return ZoneInfo(canonical)


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
