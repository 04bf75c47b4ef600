"""The text form of a command, shared by Slack and the console.

``/logged-interview "Jane Doe" company=Acme date=yesterday referrals="Bob Lee; Ann Wu"``

Rules, chosen so that people can type naturally and their usual slips still work:
- leading bare words form the first option (``/thanked Jane Doe`` works unquoted);
- ``key=value`` sets an option, spaces around ``=`` allowed (``notes = great``); bare words
  after it continue that value (``notes=great chat about pricing`` works unquoted);
- quotes (straight or curly) group words only where a value starts, so an apostrophe
  inside a word (``She's``) is just a letter; ``\\"`` is a literal quote, inside quotes or
  out (``contact="Jane \\"JJ\\" Doe"``);
- an option given twice, in any of these forms, is refused rather than one of them
  silently winning;
- a flag option's own name as a leading word sets it (``/forget-me confirm``).

This grammar only splits text into raw strings per option; reading them is each option
type's job (:mod:`bot.arguments`). shlex would split on the apostrophe in ``She's`` and
knows nothing of ``key = value``, hence a small tokenizer of our own.
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.option_types import Option, text_back
from bot.registry import Command

# A guard on the whole line; each option's own limit is checked, by name, when it is read.
MAX_INPUT = 12_000
OPENING_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201d"}
QUOTES = frozenset(OPENING_QUOTES) | frozenset(OPENING_QUOTES.values())
# Characters that never end a token, open or close a quote, or escape one.
PLAIN_RUN = re.compile(r"[^\s\\=" + re.escape("".join(sorted(QUOTES))) + "]+")
KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)=(.*)$", re.DOTALL)
BARE_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
UNCLOSED_EXAMPLE = 'contact="Jane Doe" company=Acme'


def tokenize(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(token, starts_with_a_quote)`` pairs."""
    tokens: list[tuple[str, bool]] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        if text[i].isspace():
            if current or quoted:
                tokens.append(("".join(current), quoted))
            current, quoted = [], False
            i += 1
            continue
        starts_value = not current or (current[-1] == "=" and "=" not in "".join(current[:-1]))
        if text[i] in OPENING_QUOTES and starts_value:
            inner, i = _quoted(text, i)
            quoted = quoted or not current  # a quoted token is never read as key=value
            current.append(inner)
            continue
        ch, i = _character(text, i)
        current.append(ch)
    if current or quoted:
        tokens.append(("".join(current), quoted))
    return tokens


def _character(text: str, i: int) -> tuple[str, int]:
    """The text from ``i`` up to the next character that may matter, and the index after
    it: a run of ordinary characters at once (long notes are read in a few steps), else
    one character — ``\\"`` (any quote after a backslash) being one, the quote itself."""
    plain = PLAIN_RUN.match(text, i)
    if plain:
        return plain.group(), plain.end()
    if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in QUOTES:
        return text[i + 1], i + 2
    return text[i], i + 1


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The text inside the quote opening at ``start`` (escaped quotes unescaped) and the
    index after its closing quote. A curly opening quote may be closed by a straight one."""
    closing = {OPENING_QUOTES[text[start]]}
    if text[start] == "\u201c":
        closing.add('"')
    inner: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] in closing:
            return "".join(inner), i + 1
        ch, i = _character(text, i)
        inner.append(ch)
    raise UserError("A quote was opened but never closed.", UNCLOSED_EXAMPLE)


def parse_text(command: Command, text: str) -> dict[str, str]:
    """Turn a command's text into raw option strings, keyed by option name."""
    text = text.replace("\x00", "").strip()
    example = command.example or command.usage
    if len(text) > MAX_INPUT:
        raise text_back(
            f"That is too long ({len(text):,} characters; at most {MAX_INPUT:,}) — nothing "
            "was saved",
            command.name,
            text,
            example,
        )
    values: dict[str, list[str]] = {}
    current_key: str | None = None
    for token, quoted in _joined(tokenize(text)):
        match = None if quoted else KEY_RE.match(token)
        if match:
            key = _option_name(command, match.group(1))
            _start(command, values, key, match.group(2))
            current_key = key
            continue
        flag = _flag(command, token) if current_key is None and not quoted else None
        if flag is not None:
            _start(command, values, flag.name, "yes")
            continue
        if current_key is None:
            if not command.options:
                raise UserError(f"/{command.name} takes no options.", f"/{command.name}")
            current_key = command.options[0].name
            _start(command, values, current_key)
        values[current_key].append(token)
    found = {key: " ".join(parts).strip() for key, parts in values.items()}
    for key, value in found.items():
        option = command.option(key)
        if not value and option is not None and option.choices:
            # ``partners=`` typed with nothing after it is a slip, never "leave as is"
            choices = ", ".join(option.choices)
            said = f"`{key}` needs one of: {choices} (e.g. {key}={option.choices[-1]})."
            raise UserError(said, example, option=key)
    return found


def _joined(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """``key = value`` and ``key =value`` joined into ``key=value``: a bare word followed by
    a token that starts with ``=`` names an option."""
    joined: list[tuple[str, bool]] = []
    for token, quoted in tokens:
        if joined and not quoted and token.startswith("="):
            previous, previous_quoted = joined[-1]
            if not previous_quoted and BARE_KEY_RE.match(previous):
                joined[-1] = (previous + token, False)
                continue
        joined.append((token, quoted))
    return joined


def _option_name(command: Command, typed: str) -> str:
    """The option ``typed`` names (any case, ``_`` or ``-``), or a refusal listing them."""
    key = typed.lower().replace("_", "-")
    key = key if command.option(key) else key.replace("-", "_")
    if command.option(key) is None:
        raise UserError(
            f"/{command.name} has no option `{typed}`." + _expected(command),
            command.example or command.usage,
        )
    return key


def _flag(command: Command, token: str) -> Option | None:
    option = command.option(token.lower())
    return option if option is not None and option.type.flag else None


def _start(command: Command, values: dict[str, list[str]], key: str, *first: str) -> None:
    if key in values:
        raise UserError(f"`{key}` was given twice.", command.example or command.usage)
    values[key] = list(first)


def _expected(command: Command) -> str:
    if not command.options:
        return " It takes no options."
    return " It takes: " + ", ".join(o.name for o in command.options) + "."
