"""The text form of a command, shared by Slack and the console.

``/logged-interview "Jane Doe" company=Acme date=yesterday referrals="Bob Lee; Ann Wu"``

Rules, chosen so that people can type naturally:
- leading bare words form the first option (``/thanked Jane Doe`` works unquoted);
- ``key=value`` sets an option; bare words after it continue that value
  (``notes=great chat about pricing`` works unquoted);
- quotes (straight or curly) group words only where a value starts, so an
  apostrophe inside a word (``She's``) is just a letter.
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.registry import Command

MAX_INPUT = 4000
OPENING_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201d"}
KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)=(.*)$", re.DOTALL)


def tokenize(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(token, starts_with_a_quote)`` pairs."""
    tokens: list[tuple[str, bool]] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            if current or quoted:
                tokens.append(("".join(current), quoted))
            current, quoted = [], False
            i += 1
            continue
        starts_value = not current or (current[-1] == "=" and "=" not in "".join(current[:-1]))
        if ch in OPENING_QUOTES and starts_value:
            closing = OPENING_QUOTES[ch]
            end = text.find(closing, i + 1)
            if end == -1 and ch == "\u201c":
                end = text.find('"', i + 1)
            if end == -1:
                raise UserError(
                    "A quote was opened but never closed.",
                    'contact="Jane Doe" company=Acme',
                )
            quoted = quoted or not current  # a quoted token is never read as key=value
            current.append(text[i + 1 : end])
            i = end + 1
            continue
        current.append(ch)
        i += 1
    if current or quoted:
        tokens.append(("".join(current), quoted))
    return tokens


def parse_text(command: Command, text: str) -> dict[str, str]:
    """Turn a command's text into raw option strings, keyed by option name."""
    text = text.replace("\x00", "").strip()
    if len(text) > MAX_INPUT:
        raise UserError(
            f"That is too long ({len(text)} characters; at most {MAX_INPUT}).",
            command.example or command.usage,
        )
    values: dict[str, list[str]] = {}
    current_key: str | None = None
    for token, quoted in tokenize(text):
        match = None if quoted else KEY_RE.match(token)
        if match:
            key = match.group(1).lower().replace("_", "-")
            key = key if command.option(key) else key.replace("-", "_")
            if not command.option(key):
                raise UserError(
                    f"/{command.name} has no option `{match.group(1)}`." + _expected(command),
                    command.example or command.usage,
                )
            if key in values:
                raise UserError(f"`{key}` was given twice.", command.example or command.usage)
            values[key] = [match.group(2)]
            current_key = key
            continue
        if current_key is None:
            if not command.options:
                raise UserError(f"/{command.name} takes no options.", f"/{command.name}")
            current_key = command.options[0].name
            if current_key in values:
                raise UserError(f"`{current_key}` was given twice.", command.example)
            values[current_key] = []
        values[current_key].append(token)
    return {key: " ".join(parts).strip() for key, parts in values.items()}


def _expected(command: Command) -> str:
    if not command.options:
        return " It takes no options."
    return " It takes: " + ", ".join(o.name for o in command.options) + "."
