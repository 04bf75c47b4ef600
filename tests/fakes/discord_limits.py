"""What Discord accepts, checked on what actually goes over the wire.

The fake Discord runs every message, form, autocomplete answer and command sync it
receives through these checks, so any test that makes peerpath send something Discord
would refuse fails. discord.py's own builders do what they can: each embed is rebuilt
with ``Embed.from_dict`` and measured with discord.py's ``len(embed)`` (Discord's 6,000
characters across title, description, fields, footer and author), button rows are
rebuilt as a ``ui.View`` (five to a row, 25 in all), forms as a ``ui.Modal`` of
``ui.Label``s (five at most). discord.py checks no string lengths, so Discord's documented
limits (https://discord.com/developers/docs/resources/message,
…/interactions/message-components, …/interactions/application-commands) are checked by
hand, counted as Discord counts — code points. A form's text input outside a Label (the
deprecated layout) is reported too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import discord

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
ROWS = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
MODAL_TITLE = 45
LABEL_TEXT = 45
LABEL_DESCRIPTION = 100
PLACEHOLDER = 100
INPUT_LENGTH = 4000
CHOICES = 25
CHOICE_TEXT = 100
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
DESCRIPTION = 100
OPTIONS = 25
COMMAND_TOTAL = 4000


class _Found(list[str]):
    def at_most(self, what: str, text: Any, most: int, least: int = 0) -> None:
        count = len(text) if isinstance(text, str) else 0
        if text is not None and not least <= count <= most:
            self.append(f"{what} is {count} characters ({least} to {most})")


def message_problems(message: dict[str, Any]) -> list[str]:
    """A message sent, edited or answered with (its embeds, button rows and content)."""
    found = _Found()
    found.at_most("content", message.get("content"), CONTENT)
    embeds = message.get("embeds") or []
    if len(embeds) > EMBEDS:
        found.append(f"{len(embeds)} embeds (at most {EMBEDS})")
    total = 0
    for embed in embeds:
        total += _embed(embed, found)
    if total > EMBED_TOTAL:
        found.append(f"embeds hold {total} characters (at most {EMBED_TOTAL})")
    _buttons(message.get("components") or [], found)
    return found


def _embed(data: dict[str, Any], found: _Found) -> int:
    embed = discord.Embed.from_dict(data)
    for key, most in EMBED_LIMITS.items():
        found.at_most(f"embed {key}", data.get(key), most)
    fields = data.get("fields") or []
    if len(fields) > FIELDS:
        found.append(f"{len(fields)} embed fields (at most {FIELDS})")
    for field in fields:
        found.at_most("field name", field.get("name"), FIELD_NAME, least=1)
        found.at_most("field value", field.get("value"), FIELD_VALUE, least=1)
        if not str(field.get("name", "")).strip() or not str(field.get("value", "")).strip():
            found.append("a field name or value is blank")
    found.at_most("footer", (data.get("footer") or {}).get("text"), FOOTER)
    found.at_most("author name", (data.get("author") or {}).get("name"), AUTHOR)
    return len(embed)  # discord.py's count of what the 6,000 covers


def _buttons(rows: list[dict[str, Any]], found: _Found) -> None:
    if len(rows) > ROWS:
        found.append(f"{len(rows)} action rows (at most {ROWS})")
    view = discord.ui.View(timeout=None)
    ids = []
    for number, row in enumerate(rows):
        if row.get("type") != 1:
            found.append(f"a top-level message component of type {row.get('type')}")
            continue
        for button in row.get("components") or []:
            found.at_most("button label", button.get("label"), BUTTON_LABEL, least=1)
            found.at_most("button custom_id", button.get("custom_id"), CUSTOM_ID, least=1)
            ids.append(button.get("custom_id"))
            try:
                view.add_item(
                    discord.ui.Button(
                        style=discord.ButtonStyle(button["style"]),
                        label=button.get("label"),
                        custom_id=button.get("custom_id"),
                        row=min(number, ROWS - 1),
                    )
                )
            except (ValueError, TypeError, KeyError) as error:
                found.append(f"button row {number}: {error}")
    if len(ids) != len(set(ids)):
        found.append("button custom_ids repeat within one message")


def modal_problems(modal: dict[str, Any]) -> list[str]:
    """A form (interaction callback type 9), on the Label layout."""
    found = _Found()
    found.at_most("form title", modal.get("title"), MODAL_TITLE, least=1)
    found.at_most("form custom_id", modal.get("custom_id"), CUSTOM_ID, least=1)
    form = discord.ui.Modal(title="form", timeout=None)
    components = modal.get("components") or []
    if not 1 <= len(components) <= 5:
        found.append(f"a form with {len(components)} components (1 to 5)")
    for component in components:
        if component.get("type") != 18:
            found.append(f"a form component of type {component.get('type')} (Labels only)")
            continue
        found.at_most("label", component.get("label"), LABEL_TEXT, least=1)
        found.at_most("label description", component.get("description"), LABEL_DESCRIPTION)
        field = component.get("component") or {}
        found.at_most("input custom_id", field.get("custom_id"), CUSTOM_ID, least=1)
        found.at_most("placeholder", field.get("placeholder"), PLACEHOLDER)
        found.at_most("prefilled value", field.get("value"), INPUT_LENGTH)
        for key in ("min_length", "max_length"):
            if not 0 <= (field.get(key) or 0) <= INPUT_LENGTH:
                found.append(f"input {key} {field.get(key)} (0 to {INPUT_LENGTH})")
        try:
            text_input = discord.ui.TextInput(
                style=discord.TextStyle(field["style"]),
                custom_id=field["custom_id"],
                required=field.get("required", True),
                min_length=field.get("min_length"),
                max_length=field.get("max_length"),
            )
            form.add_item(discord.ui.Label(text=component["label"], component=text_input))
        except (ValueError, TypeError, KeyError) as error:
            found.append(f"form component: {error}")
    return found


def choices_problems(data: dict[str, Any]) -> list[str]:
    """An autocomplete answer (interaction callback type 8)."""
    found = _Found()
    choices = data.get("choices") or []
    if len(choices) > CHOICES:
        found.append(f"{len(choices)} choices (at most {CHOICES})")
    for choice in choices:
        found.at_most("choice name", choice.get("name"), CHOICE_TEXT, least=1)
        found.at_most("choice value", choice.get("value"), CHOICE_TEXT)
    return found


def commands_problems(commands: list[dict[str, Any]]) -> list[str]:
    """Application commands synced in bulk."""
    found = _Found()
    for command in commands:
        name = command.get("name", "")
        if not COMMAND_NAME.match(name) or name != name.lower():
            found.append(f"command name {name!r}")
        total = len(name)
        for key, text in _command_texts(command):
            found.at_most(f"/{name} {key}", text, DESCRIPTION if "description" in key else 100, 1)
            total += len(text)
        if len(command.get("options") or []) > OPTIONS:
            found.append(f"/{name} has more than {OPTIONS} options")
        if total > COMMAND_TOTAL:
            found.append(f"/{name} holds {total} characters (at most {COMMAND_TOTAL})")
    return found


def _command_texts(command: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield "description", command.get("description", "")
    for option in command.get("options") or []:
        yield "option name", option.get("name", "")
        yield "option description", option.get("description", "")
        for choice in option.get("choices") or []:
            yield "choice name", choice.get("name", "")
            yield "choice value", str(choice.get("value", ""))
