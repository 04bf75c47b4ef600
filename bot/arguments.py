"""A command's options read in one pass: raw values in, checked values out.

Raw values are what a platform delivered — text split by :mod:`bot.parsing`, a form's
strings, Discord's typed values. Each is read by its option's own type
(:mod:`bot.option_types`), so a bad value reads the same on Slack, Discord and the
console: what was wrong, what is accepted, an example. Nothing here knows one type from
another.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import wording
from bot.errors import UserError
from bot.option_types import Option, Reading, clean_text
from bot.registry import Command
from bot.wording import without_examples


def missing_required(command: Command, raw: Mapping[str, Any]) -> list[Option]:
    """Required options with no usable value (adapters open a form for these)."""
    return [o for o in command.options if o.required and _blank(raw.get(o.name))]


def read_options(
    command: Command,
    raw: Mapping[str, Any],
    now: datetime,
    tz: ZoneInfo,
    locale: str | None = None,
) -> dict[str, Any]:
    """Every option's checked value (``None`` where none was given), or the first problem
    as a :class:`UserError` naming its option."""
    example = command.example or command.usage
    unknown = [key for key in raw if command.option(key) is None]
    if unknown:
        raise UserError(f"/{command.name} has no option `{unknown[0]}`.", example)
    missing = missing_required(command, raw)
    if missing:
        names = ", ".join(f"`{o.name}`" for o in missing)
        fields = wording.listing([o.name.replace("-", " ") for o in missing])
        raise UserError(
            f"/{command.name} needs {names}.",
            example,
            missing[0].name,
            in_form=f"Fill in {fields}: {_lowered(without_examples(missing[0].description))}.",
        )
    reading = Reading(now, tz, locale, example)
    values: dict[str, Any] = {}
    for option in command.options:
        value = raw.get(option.name)
        if _blank(value):
            values[option.name] = None
            continue
        try:
            values[option.name] = option.type.read(option, value, reading)
        except UserError as error:
            error.option = error.option or option.name
            raise
    return values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _lowered(text: str) -> str:
    """``text`` continuing a sentence: its first letter small, unless a name's (``CSV``)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
