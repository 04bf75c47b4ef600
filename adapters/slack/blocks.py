"""Neutral replies and command declarations rendered as Slack Block Kit.

Everything here is a pure translation, kept apart from the wiring in
``adapters/slack.py`` so it can be checked against Block Kit's limits on its
own. Long text is cut with "…" rather than rejected by Slack, and every piece
of text that may carry a member's words is escaped, so typing ``<!channel>``
or ``<@U123>`` never pings anyone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.option_types import Kind, Shape
from bot.registry import Command
from bot.registry import Option as CommandOption
from bot.replies import ButtonStyle, Field, Reply, render_text

# Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS = 50
SECTION_TEXT = 3000
SECTION_FIELD = 2000
FIELDS_PER_SECTION = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTONS_PER_ACTIONS = 25
ACTION_ID = 255
FALLBACK_TEXT = 3000
MODAL_TITLE = 24
LABEL = 2000
OPTION_TEXT = 75
PLAIN_TEXT_INPUT = 3000
FIELD_ERROR = 500

MODAL_CALLBACK = "peerpath-command"
STYLES = {ButtonStyle.PRIMARY: "primary", ButtonStyle.DANGER: "danger"}


def escape(text: str) -> str:
    """Escape mrkdwn control characters so user text is shown, never interpreted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str, limit: int) -> str:
    """Escaped ``text`` within ``limit``, never ending in half an ``&amp;`` entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&", max(0, len(cut) - 4))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def fallback_text(reply: Reply) -> str:
    """The plain ``text`` sent with every message: notifications and screen readers use it."""
    return mrkdwn(render_text(reply), FALLBACK_TEXT).strip() or "…"


def reply_blocks(reply: Reply) -> list[Block]:
    """Header, text, fields and buttons, within Block Kit's size limits."""
    head: list[Block] = []
    if reply.title and reply.title.strip():
        head.append(HeaderBlock(text=PlainTextObject(text=truncate(reply.title, HEADER_TEXT))))
    if reply.text.strip():
        head.append(SectionBlock(text=MarkdownTextObject(text=mrkdwn(reply.text, SECTION_TEXT))))
    buttons = [
        ButtonElement(
            text=PlainTextObject(text=truncate(b.label, BUTTON_TEXT)),
            action_id=b.id[:ACTION_ID],
            value=b.id[:ACTION_ID],
            style=STYLES.get(b.style),
        )
        for b in reply.actions
    ]
    tail: list[Block] = [
        ActionsBlock(elements=buttons[i : i + BUTTONS_PER_ACTIONS])
        for i in range(0, len(buttons), BUTTONS_PER_ACTIONS)
    ]
    body = list(_field_blocks(reply.fields))
    room = MAX_BLOCKS - len(head) - len(tail)
    if len(body) > room:
        hidden = len(body) - room + 1
        body = body[: room - 1] + [
            ContextBlock(elements=[PlainTextObject(text=f"…and {hidden} more not shown")])
        ]
    return (head + body + tail)[:MAX_BLOCKS]


def _field_blocks(fields: list[Field]) -> Iterator[Block]:
    """Inline fields share sections (ten at most each); the others get a section apiece."""
    inline: list[MarkdownTextObject] = []
    for f in fields:
        if f.inline:
            inline.append(MarkdownTextObject(text=_field_text(f, SECTION_FIELD)))
            if len(inline) == FIELDS_PER_SECTION:
                yield SectionBlock(fields=inline)
                inline = []
            continue
        if inline:
            yield SectionBlock(fields=inline)
            inline = []
        yield SectionBlock(text=MarkdownTextObject(text=_field_text(f, SECTION_TEXT)))
    if inline:
        yield SectionBlock(fields=inline)


def _field_text(f: Field, limit: int) -> str:
    name = mrkdwn(f.name, limit // 4)
    return f"*{name}*\n" + mrkdwn(f.value, limit - len(name) - 3)


def home_view(reply: Reply, notice: Reply | None = None) -> View:
    """The App Home tab: the member's overview, after the result of a button they pressed."""
    blocks = reply_blocks(reply)
    if notice is not None:
        line = f"*{mrkdwn(notice.title, 200)}* — " if notice.title else ""
        blocks.insert(
            0, SectionBlock(text=MarkdownTextObject(text=line + mrkdwn(notice.text, 2500)))
        )
    return View(type="home", blocks=blocks[:MAX_BLOCKS])


def command_modal(command: Command, metadata: Mapping[str, str]) -> View:
    """A form with one input per option; ``block_id`` and ``action_id`` are the option's name.

    ``metadata`` (where the command was typed, its response_url) travels in
    ``private_metadata`` so the submission can answer in the same place.
    """
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        title=PlainTextObject(text=truncate(f"/{command.name}", MODAL_TITLE)),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps({"command": command.name, **metadata}),
        blocks=[
            InputBlock(
                block_id=option.name,
                label=PlainTextObject(text=truncate(option.name.replace("-", " ").title(), LABEL)),
                hint=PlainTextObject(text=truncate(option.description, LABEL)),
                element=_input_element(option),
                optional=not option.required,
            )
            for option in command.options
        ],
    )


def _date_picker(name: str, shape: Shape) -> Any:
    return DatePickerElement(action_id=name)


def _number(name: str, shape: Shape) -> Any:
    return NumberInputElement(
        action_id=name,
        is_decimal_allowed=False,
        min_value=None if shape.min_value is None else str(shape.min_value),
        max_value=None if shape.max_value is None else str(shape.max_value),
    )


def _select(name: str, choices: tuple[str, ...]) -> Any:
    return StaticSelectElement(
        action_id=name,
        options=[Option(text=truncate(c, OPTION_TEXT), value=c) for c in choices],
    )


def _on_off(name: str, shape: Shape) -> Any:
    return _select(name, ("on", "off"))


def _text(name: str, shape: Shape) -> Any:
    if shape.choices:
        return _select(name, shape.choices)
    return PlainTextInputElement(
        action_id=name,
        multiline=shape.multiline,
        max_length=min(shape.max_length or PLAIN_TEXT_INPUT, PLAIN_TEXT_INPUT),
    )


# Each neutral kind of option as a Block Kit input element; the core never names one.
ELEMENTS: dict[Kind, Callable[[str, Shape], Any]] = {
    Kind.DATE: _date_picker,
    Kind.INTEGER: _number,
    Kind.BOOLEAN: _on_off,
    Kind.TEXT: _text,
}


def _input_element(option: CommandOption) -> Any:
    shape = option.shape
    return ELEMENTS[shape.kind](option.name, shape)


def modal_values(state: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, str | None]:
    """The submitted inputs of a command modal, keyed by option name (None when left empty)."""
    values: dict[str, str | None] = {}
    for block_id, actions in state.items():
        for action_id, element in actions.items():
            if action_id != block_id:
                continue
            selected = element.get("selected_option")
            values[block_id] = (
                selected["value"]
                if selected
                else element.get("selected_date") or element.get("value")
            )
    return values


def modal_error(command: Command, reply: Reply) -> dict[str, str]:
    """``response_action: errors`` for a refused form: on the field at fault, else the first."""
    names = [o.name for o in command.options]
    field = reply.error_option if reply.error_option in names else names[0]
    return {field: truncate(reply.text, FIELD_ERROR)}
