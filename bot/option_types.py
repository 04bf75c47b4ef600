"""Options as commands declare them, and the types that read their values.

An :class:`Option` is data: a name, a description, whether it is required, bounds or
choices, and a *type*. Each type owns everything about one kind of value, as discord.py's
app-command transformers do (a ``Transformer`` carries its option type, bounds and choices
and turns what the platform sent into a value):

- :meth:`ValueType.read` turns a raw value — typed text, a form's string, or a platform's
  typed value — into a checked Python value, or raises a :class:`UserError` that says what
  was expected, with an example;
- :meth:`ValueType.help` adds what help shows about it (``[on | off]``);
- :meth:`ValueType.check` refuses a declaration the type cannot honour (an integer
  without bounds) when the command is registered;
- :meth:`ValueType.shape` states the neutral facts a platform needs to declare it: a
  :class:`Kind`, bounds, choices, whether it is multi-line or suggests the member's contacts.

The core never names a platform element. Each adapter has one table from :class:`Kind` to
its native element (``ELEMENTS`` in ``adapters/slack/blocks.py``, ``ANNOTATIONS`` in
``adapters/discord/commands.py``), so a new type touches this module and, only when no
existing kind fits it, one row per adapter.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import AmbiguousDate, format_date, local_today, parse_date
from bot.errors import UserError
from bot.replies import Attachment

TRUE_WORDS = frozenset({"on", "yes", "true", "1", "y", "enable", "enabled"})
FALSE_WORDS = frozenset({"off", "no", "false", "0", "n", "disable", "disabled"})
CONFIRM_WORDS = frozenset({"yes", "y", "confirm", "confirmed", "sure", "ok", "okay"})
CHOICES_MAX = 25  # Discord's limit, the strictest platform's
WHOLE_NUMBER = re.compile(r"[+-]?\d{1,18}")  # beyond 18 digits no bound could hold it
# Text handed back after a refusal: in the message up to this length, as a file beyond it.
INLINE_TEXT_BACK = 300


class Kind(StrEnum):
    """What a platform needs to know to pick its native input for an option."""

    TEXT = "text"  # free text, or one of ``Shape.choices``
    INTEGER = "integer"  # a whole number within ``Shape.min_value``..``max_value``
    BOOLEAN = "boolean"  # on or off
    DATE = "date"  # a calendar day (typed text where the platform has no picker)
    FILE = "file"  # a file the member attaches (the console: a path, read by the console)


@dataclass(frozen=True)
class Shape:
    """An option's neutral declaration: what each adapter's table turns into its element."""

    kind: Kind
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    multiline: bool = False
    suggests_contacts: bool = False


@dataclass(frozen=True)
class Reading:
    """What reading a value may depend on: the member's clock and zone, the locale their
    platform reported (``None`` when unknown) and the command's example for messages."""

    now: datetime
    tz: ZoneInfo
    locale: str | None = None
    example: str = ""


class Ambiguous(UserError):
    """A value with several real readings, to be asked about rather than guessed:
    ``answers`` are ``(label, {option: value})``, offered as buttons that run the command
    again with the chosen value."""

    def __init__(
        self, message: str, example: str, answers: list[tuple[str, Mapping[str, Any]]]
    ) -> None:
        super().__init__(message, example)
        self.answers = answers


class ValueType(ABC):
    """How one kind of option value is read, described and declared."""

    # The option's own name, as a leading bare word, sets it (``/forget-me confirm``).
    flag: bool = False

    @abstractmethod
    def read(self, option: Option, value: Any, reading: Reading) -> Any:
        """The checked value of a non-blank raw ``value``, or a :class:`UserError`."""

    @abstractmethod
    def shape(self, option: Option) -> Shape:
        """The neutral facts a platform declares ``option`` from."""

    def help(self, option: Option) -> str:
        """What help adds after the option's description (its choices, say)."""
        return f" [{' | '.join(option.choices)}]" if option.choices else ""

    def check(self, option: Option) -> None:
        """Refuse, with ``ValueError``, a declaration this type cannot honour."""
        if len(option.choices) > CHOICES_MAX:
            raise ValueError(f"{option.name}: at most {CHOICES_MAX} choices")


@dataclass(frozen=True)
class Text(ValueType):
    """Free text — or one of the option's ``choices``, matched forgivingly."""

    multiline: bool = False
    suggests_contacts: bool = False

    def read(self, option: Option, value: Any, reading: Reading) -> str:
        text = _within_length(option, value, self.multiline, reading.example)
        return _choice(option, text, reading.example) if option.choices else text

    def shape(self, option: Option) -> Shape:
        return Shape(
            Kind.TEXT,
            choices=option.choices,
            max_length=option.max_length,
            multiline=self.multiline,
            suggests_contacts=self.suggests_contacts,
        )


@dataclass(frozen=True)
class Integer(ValueType):
    """A whole number within the option's bounds, which every integer option declares, so
    no number a member can type overflows a column or a loop downstream."""

    def read(self, option: Option, value: Any, reading: Reading) -> int:
        text = "" if isinstance(value, bool) else clean_text(str(value))
        if not WHOLE_NUMBER.fullmatch(text):
            raise UserError(
                f"`{option.name}` must be a whole number, not `{text[:40]}`.", reading.example
            )
        number, low, high = int(text), option.min_value, option.max_value
        if not low <= number <= high:  # type: ignore[operator]
            raise UserError(
                f"`{option.name}` must be between {low} and {high} (not {number}).",
                reading.example,
            )
        return number

    def shape(self, option: Option) -> Shape:
        return Shape(Kind.INTEGER, min_value=option.min_value, max_value=option.max_value)

    def check(self, option: Option) -> None:
        super().check(option)
        low, high = option.min_value, option.max_value
        if low is None or high is None or low > high:
            raise ValueError(f"integer option {option.name} needs bounds, lowest first")


@dataclass(frozen=True)
class Boolean(ValueType):
    """On or off, in the usual words for either."""

    def read(self, option: Option, value: Any, reading: Reading) -> bool:
        if isinstance(value, bool):
            return value
        word = clean_text(str(value)).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise UserError(f"`{option.name}` takes on or off, not `{word[:40]}`.", reading.example)

    def shape(self, option: Option) -> Shape:
        return Shape(Kind.BOOLEAN)

    def help(self, option: Option) -> str:
        return " [on | off]"


@dataclass(frozen=True)
class Date(ValueType):
    """A day on the member's calendar (:func:`bot.dates.parse_date`); a slashed date with
    two real readings and no known locale is asked about (:class:`Ambiguous`)."""

    def read(self, option: Option, value: Any, reading: Reading) -> date:
        text = _within_length(option, value, False, reading.example)
        try:
            return parse_date(text, reading.now, reading.tz, option.prefer_future, reading.locale)
        except AmbiguousDate as question:
            today = local_today(reading.now, reading.tz)
            answers = [
                (format_date(day, today), {option.name: day.isoformat()})
                for day in question.readings
            ]
            raise Ambiguous(question.message, question.example or "", answers) from None

    def shape(self, option: Option) -> Shape:
        return Shape(Kind.DATE, max_length=option.max_length)


MAX_UPLOAD = 8 * 1024 * 1024  # 30,000 rows of a LinkedIn export are about 3 MB


@dataclass(frozen=True)
class Upload:
    """A file the member attached, as its adapter fetched it from the platform."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class File(ValueType):
    """An attached file. Only an adapter can make an :class:`Upload`; text typed for it
    (a path on Slack, say) is refused — the core never opens a path a member names."""

    def read(self, option: Option, value: Any, reading: Reading) -> Upload:
        if not isinstance(value, Upload):
            raise UserError(
                f"`{option.name}` takes a file, not text: on Slack, run the command alone "
                "and pick the file in its form; on Discord, attach it; in the console, give "
                "its path.",
                reading.example,
            )
        if len(value.content) > MAX_UPLOAD:
            raise UserError(
                f"{value.filename[:80]} is {len(value.content) / 1e6:.1f} MB; at most "
                f"{MAX_UPLOAD // 1024 // 1024} MB.",
                reading.example,
            )
        return value

    def shape(self, option: Option) -> Shape:
        return Shape(Kind.FILE)


_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


@dataclass(frozen=True)
class Time(ValueType):
    """A time of day on the member's clock: ``14:30``, ``9``, ``2pm``, ``9:15 am``."""

    def read(self, option: Option, value: Any, reading: Reading) -> time:
        text = _within_length(option, value, False, reading.example).lower()
        found = _CLOCK.match(text)
        hour, minute = (int(found.group(1)), int(found.group(2) or 0)) if found else (99, 0)
        half = found.group(3)[0] if found and found.group(3) else None
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif half:
            hour = 99
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise UserError(
                f"`{option.name}` is a time of day such as 14:30 or 2pm, not `{text[:40]}`.",
                reading.example,
            )
        return time(hour, minute)

    def shape(self, option: Option) -> Shape:
        return Shape(Kind.TEXT, max_length=option.max_length)


@dataclass(frozen=True)
class Confirm(ValueType):
    """A yes given in advance (``confirm=yes``, ``/forget-me confirm``); anything else is
    refused, and leaving it out means the command asks first."""

    flag = True

    def read(self, option: Option, value: Any, reading: Reading) -> bool:
        words = clean_text(str(value)).lower().split()
        if value is True or (words and all(w in CONFIRM_WORDS | {option.name} for w in words)):
            return True
        raise UserError(
            f"`{option.name}` takes yes, not `{' '.join(words)[:40]}` — or leave it out "
            "to be asked first.",
            reading.example,
        )

    def shape(self, option: Option) -> Shape:
        return Shape(Kind.TEXT, choices=("yes",), max_length=option.max_length)

    def help(self, option: Option) -> str:
        return " [yes]"


class OptionType:
    """The option types by name; ``Option("when", "…", OptionType.DATE)``."""

    STRING: ValueType = Text()
    TEXT: ValueType = Text(multiline=True)  # long free text: multi-line in forms
    CONTACT: ValueType = Text(suggests_contacts=True)  # a name, suggested from one's contacts
    INTEGER: ValueType = Integer()
    BOOLEAN: ValueType = Boolean()
    DATE: ValueType = Date()
    TIME: ValueType = Time()
    FILE: ValueType = File()
    CONFIRM: ValueType = Confirm()


@dataclass(frozen=True)
class Option:
    """One option of a command, as declared; its ``type`` reads what is given for it."""

    name: str
    description: str
    type: ValueType = OptionType.STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 200
    # For DATE options: a bare weekday ("friday") means the next one rather than the last.
    prefer_future: bool = False

    @property
    def shape(self) -> Shape:
        return self.type.shape(self)


# Format characters that are part of the text: the joiners that build emoji sequences
# (👩‍💻) and shape Persian or Indic words, and the tags of subdivision flags.
_JOINERS = frozenset({"\u200c", "\u200d"} | {chr(c) for c in range(0xE0020, 0xE0080)})


def clean_text(value: str, keep_newlines: bool = False) -> str:
    """Drop control and invisible formatting characters (bidi overrides, zero-width
    spaces) that can disguise a name, keep newlines in long text and the joiners of
    emoji and scripts, and trim."""
    kept = []
    for ch in value:
        if (ch == "\n" and keep_newlines) or ch in _JOINERS:
            kept.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ch not in "\t":
            continue
        else:
            kept.append(" " if ch == "\t" else ch)
    return "".join(kept).strip()


def text_back(message: str, name: str, text: str, example: str | None = None) -> UserError:
    """A refusal that hands back what was typed, so nothing is lost: in the message when
    short, as ``<name>.txt`` when long (a platform message could not hold it)."""
    if len(text) <= INLINE_TEXT_BACK:
        return UserError(f"{message}; here is your text back:\n{text}", example, name)
    attachment = Attachment(f"{name}.txt", text.encode("utf-8"), "text/plain")
    return UserError(
        f"{message}; here is your text back, attached as {attachment.filename}.",
        example,
        name,
        attachment,
    )


def _within_length(option: Option, value: Any, multiline: bool, example: str) -> str:
    text = clean_text(str(value), keep_newlines=multiline)
    if len(text) > option.max_length:
        raise text_back(
            f"{option.name}: {len(text):,} characters; at most {option.max_length:,} — "
            "nothing was saved",
            option.name,
            text,
            example,
        )
    return text


def _choice(option: Option, text: str, example: str) -> str:
    wanted = text.lower().replace("_", "-").replace(" ", "-")
    if wanted in option.choices:
        return wanted
    starts = [c for c in option.choices if c.startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    raise UserError(
        f"`{option.name}` must be one of: {', '.join(option.choices)} (not `{text[:40]}`).",
        example,
    )
