"""Turning raw option values (text, or a platform's typed values) into checked Python values.

One place for every option rule, so a bad value reads the same on Slack,
Discord and the console: what was wrong, what is accepted, an example.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import parse_date
from bot.errors import UserError
from bot.registry import Command, Option, OptionType

TRUE_WORDS = {"on", "yes", "true", "1", "y", "enable", "enabled"}
FALSE_WORDS = {"off", "no", "false", "0", "n", "disable", "disabled"}


def clean_text(value: str, keep_newlines: bool = False) -> str:
    """Drop control characters (keeping newlines in long text) and trim."""
    kept = []
    for ch in value:
        if ch == "\n" and keep_newlines:
            kept.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ch not in "\t":
            continue
        else:
            kept.append(" " if ch == "\t" else ch)
    return "".join(kept).strip()


def missing_required(command: Command, raw: Mapping[str, Any]) -> list[Option]:
    """Required options with no usable value (adapters open a form for these)."""
    return [o for o in command.options if o.required and _blank(raw.get(o.name))]


def coerce(command: Command, raw: Mapping[str, Any], now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """Check every value against its option; blank optional values become ``None``."""
    example = command.example or command.usage
    unknown = [key for key in raw if command.option(key) is None]
    if unknown:
        raise UserError(f"/{command.name} has no option `{unknown[0]}`.", example)
    missing = missing_required(command, raw)
    if missing:
        names = ", ".join(f"`{o.name}`" for o in missing)
        raise UserError(f"/{command.name} needs {names}.", example, missing[0].name)
    values: dict[str, Any] = {}
    for option in command.options:
        value = raw.get(option.name)
        try:
            values[option.name] = (
                None if _blank(value) else _coerce_one(command, option, value, now, tz)
            )
        except UserError as error:
            error.option = error.option or option.name
            raise
    return values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _coerce_one(command: Command, option: Option, value: Any, now: datetime, tz: ZoneInfo) -> Any:
    example = command.example or command.usage
    if option.type is OptionType.INTEGER:
        return _integer(option, value, example)
    if option.type is OptionType.BOOLEAN:
        return _boolean(option, value, example)
    text = clean_text(str(value), keep_newlines=option.type is OptionType.TEXT)
    if len(text) > option.max_length:
        raise UserError(
            f"`{option.name}` is too long ({len(text)} characters; at most {option.max_length}).",
            example,
        )
    if option.type is OptionType.DATE:
        return parse_date(text, now, tz, option.prefer_future)
    if option.choices:
        return _choice(option, text, example)
    return text


def _integer(option: Option, value: Any, example: str) -> int:
    if isinstance(value, bool):
        raise UserError(f"`{option.name}` must be a whole number.", example)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise UserError(
            f"`{option.name}` must be a whole number, not `{str(value)[:40]}`.", example
        ) from None
    low, high = option.min_value, option.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise UserError(f"`{option.name}` must be between {low} and {high}.", example)
    return number


def _boolean(option: Option, value: Any, example: str) -> bool:
    if isinstance(value, bool):
        return value
    word = clean_text(str(value)).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise UserError(f"`{option.name}` takes on or off, not `{word[:40]}`.", example)


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
