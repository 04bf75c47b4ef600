"""Counting text the way the platforms count it, and cutting it to fit.

The platforms disagree on what a "character" is. Slack counts its limits in UTF-16
code units — an emoji outside the Basic Multilingual Plane is two — and counts the
text it is sent, after escaping (``&`` travels as ``&amp;``). Discord's API counts
code points (it is written in Python: discord/discord-api-docs#1315), and what
peerpath escapes in a display name (``\\*``, ``\\<``) counts too. Each adapter builds
its one length function from these; the core measures with :func:`shown_length`, the
most any platform may count, so what it decides to show is never cut by a renderer.
"""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"
# Left dangling at the end of a cut, these would join or restyle the ellipsis.
_DANGLING = "\u200d\ufe0e\ufe0f"
# What rendering may add to one character, at most, on any platform: Slack sends
# ``&amp;``, ``&lt;``, ``&gt;``; Discord escapes markdown and mentions in display names
# with a backslash (or a zero-width space after ``@``).
_GROWTH = {"&": 4, "<": 3, ">": 3, **dict.fromkeys("\\*_~|`@[#-", 1)}
MOST_PER_CHARACTER = 1 + max(_GROWTH.values())


def utf16_units(text: str) -> int:
    """Length in UTF-16 code units: what Slack counts (characters beyond U+FFFF are two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def code_points(text: str) -> int:
    """Length in code points: what Discord counts."""
    return len(text)


def shown_length(text: str) -> int:
    """The longest ``text`` can be counted once a platform has rendered it: its UTF-16
    length plus what escaping may add. The core pages and trims with this."""
    return utf16_units(text) + sum(extra * text.count(c) for c, extra in _GROWTH.items())


def cut(text: str, limit: int, length: Callable[[str], int] = code_points) -> str:
    """``text`` if ``length`` counts it within ``limit``; else its longest start that fits
    with a closing "…".

    ``length`` measures a whole string (escaping included, where the platform escapes),
    so cutting happens between code points of the raw text: never inside a surrogate
    pair or an escaped entity.
    """
    if length(text) <= limit:
        return text
    room = limit - length(ELLIPSIS)
    low, high = 0, len(text)  # the longest start whose length fits ``room``
    while low < high:
        middle = (low + high + 1) // 2
        if length(text[:middle]) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip(_DANGLING) + ELLIPSIS if room >= 0 else ""


def shown(text: str, limit: int) -> str:
    """``text`` cut so that no platform counts more than ``limit`` once it is rendered."""
    if len(text) * MOST_PER_CHARACTER <= limit:  # short enough whatever it holds
        return text
    return cut(text, limit, shown_length)
