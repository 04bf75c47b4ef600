"""One employer however it is typed: ``Acme Inc.``, ``ACME`` and ``acme, inc`` are one.

3B7's "a second person at X", a target's advocacy and an import's "already known" all
compare employers by :func:`company_key`; :func:`close_to` finds a name that is probably
one already listed (``Acmee`` → ``Acme``), to ask about rather than guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# Legal forms that do not change which employer is meant, dropped from the end of a name.
SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "pty",
        "srl",
        "oy",
        "ab",
    }
)
# Marks inside a word (A.C.M.E., O'Neil, AT&T): dropped, so the word stays whole.
_INSIDE = re.compile(r"[.'’&]")
# Any other mark separates words (Acme-Widgets, Acme, Inc).
_MARK = re.compile(r"[^\w\s]|_")
_DIGITS = re.compile(r"[0-9]+")
CLOSE = 0.8  # difflib ratio from which two employer keys are "close" (acme/acmee: 0.89)


def company_key(company: str | None) -> str | None:
    """The comparable form of an employer's name, or None without one: case, spacing,
    punctuation and a trailing legal form (Inc., GmbH) ignored — ``ACME  corp`` and
    ``Acme, Inc.`` are both ``acme``."""
    if not company:
        return None
    text = unicodedata.normalize("NFKC", company).casefold()
    words = _MARK.sub(" ", _INSIDE.sub("", text)).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return " ".join(words) or None


def close_to(company: str, known: Iterable[str]) -> str | None:
    """The name among ``known`` that ``company`` is probably a misspelling or variant of
    (not the same employer by :func:`company_key`), the closest; None when none is.
    Numbers in a name are labels, not spellings: ``Studio 54`` is not close to ``Studio
    55``."""
    key = company_key(company)
    if key is None:
        return None
    best: tuple[float, str] | None = None
    for name in known:
        other = company_key(name)
        if other is None or other == key or _DIGITS.findall(other) != _DIGITS.findall(key):
            continue  # the same employer; or numbers that differ (3M is not 4M)
        ratio = difflib.SequenceMatcher(None, key, other).ratio()
        contained = key.split() != other.split() and (
            set(key.split()) <= set(other.split()) or set(other.split()) <= set(key.split())
        )
        if (ratio >= CLOSE or contained) and (best is None or ratio > best[0]):
            best = (ratio, name)
    return best[1] if best else None
