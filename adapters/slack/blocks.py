"""Neutral replies and command declarations rendered as Slack Block Kit.

Everything here is a pure translation, kept apart from the wiring in
``adapters/slack/app.py`` so it can be checked against Block Kit's limits on its
own. Every limit is counted the way Slack counts it — :func:`length`, UTF-16 code
units of the text as sent, escaping included — and long text is cut with "…"
rather than rejected by Slack. Every piece of text that may carry a member's words
is escaped, so typing ``<!channel>`` or ``<@U123>`` never pings anyone, and a text
that shows a display name is sent ``verbatim``, so a URL in a name is not made a link.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
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
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from bot import wording
from bot.lengths import cut, utf16_units
from bot.option_types import Kind, Shape
from bot.registry import Command
from bot.registry import Option as CommandOption
from bot.replies import ButtonStyle, Field, Form, Reply, render_text

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
MENU_OPTIONS = 100
CONTEXT_TEXT = 2000  # a context block's text element
PLAIN_TEXT_INPUT = 3000
FIELD_ERROR = 500
NOTICE_TITLE = 200
LONG_TEXT = 200  # longer options get a multi-line box

MODAL_CALLBACK = "peerpath-command"
STYLES = {ButtonStyle.PRIMARY: "primary", ButtonStyle.DANGER: "danger"}


def length(text: str) -> int:
    """Slack's length of ``text`` as sent: UTF-16 code units (an emoji may be two)."""
    return utf16_units(text)


def escape(text: str) -> str:
    """Escape mrkdwn control characters so user text is shown, never interpreted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Plain ``text`` within ``limit`` as Slack counts it, ending in "…" when cut."""
    return cut(text, limit, length)


def mrkdwn(text: str, limit: int) -> str:
    """Escaped ``text`` within ``limit``: cut before escaping, so never inside an entity."""
    return escape(cut(text, limit, lambda part: length(escape(part))))


def markdown(text: str, limit: int, names: Sequence[str] = ()) -> MarkdownTextObject:
    """A mrkdwn text object for ``text``; ``verbatim`` when it shows a display name, so
    Slack leaves a URL or ``#channel`` in the name as typed rather than making it a link."""
    verbatim = any(name and name in text for name in names)
    return MarkdownTextObject(text=mrkdwn(text, limit), verbatim=True if verbatim else None)


def fallback_text(reply: Reply) -> str:
    """The plain ``text`` sent with every message: notifications and screen readers use it
    (with the mentions in the text, so the member mentioned is notified)."""
    plain = render_text(replace(reply, mentions=()))
    return with_mentions(mrkdwn(plain, FALLBACK_TEXT).strip(), reply) or "…"


def with_mentions(escaped: str, reply: Reply) -> str:
    """``escaped`` text with the reply's own mention tokens made mentions again — those
    and no others: ``<!channel>`` or someone else's ``<@U…>`` typed by a member stays text."""
    for mention in reply.mentions:
        escaped = escaped.replace(escape(mention.token), mention.token)
    return escaped


def reply_blocks(reply: Reply) -> list[Block]:
    """Header, text, fields and buttons, within Block Kit's size limits."""
    head = _head(reply)
    return head + _fields_and_buttons(reply, MAX_BLOCKS - len(head))


def _head(reply: Reply) -> list[Block]:
    head: list[Block] = []
    if reply.title and reply.title.strip():
        head.append(HeaderBlock(text=PlainTextObject(text=truncate(reply.title, HEADER_TEXT))))
    if reply.text.strip():
        text = markdown(reply.text, SECTION_TEXT, reply.names)
        text.text = with_mentions(text.text, reply)
        head.append(SectionBlock(text=text))
    return head


def _fields_and_buttons(reply: Reply, room: int, skip: frozenset[str] = frozenset()) -> list[Block]:
    """``reply``'s fields, then its buttons (but those in ``skip``), in ``room`` blocks."""
    buttons = [
        ButtonElement(
            # Labels name their item (a contact's name): escaped like any member's words.
            text=PlainTextObject(text=mrkdwn(b.label, BUTTON_TEXT)),
            action_id=b.id[:ACTION_ID],
            value=b.id[:ACTION_ID],
            style=STYLES.get(b.style),
        )
        for b in reply.actions
        if b.id[:ACTION_ID] not in skip
    ]
    tail: list[Block] = [
        ActionsBlock(elements=buttons[i : i + BUTTONS_PER_ACTIONS])
        for i in range(0, len(buttons), BUTTONS_PER_ACTIONS)
    ]
    body = list(_field_blocks(reply.fields, reply.names))
    room -= len(tail)
    if len(body) > room:
        hidden = len(body) - room + 1
        body = body[: room - 1] + [
            ContextBlock(elements=[PlainTextObject(text=f"…and {hidden} more not shown")])
        ]
    return body + tail


def _field_blocks(fields: list[Field], names: Sequence[str]) -> Iterator[Block]:
    """Inline fields share sections (ten at most each); the others get a section apiece."""
    inline: list[MarkdownTextObject] = []
    for f in fields:
        if f.inline:
            inline.append(_field_text(f, SECTION_FIELD, names))
            if len(inline) == FIELDS_PER_SECTION:
                yield SectionBlock(fields=inline)
                inline = []
            continue
        if inline:
            yield SectionBlock(fields=inline)
            inline = []
        yield SectionBlock(text=_field_text(f, SECTION_TEXT, names))
    if inline:
        yield SectionBlock(fields=inline)


def _field_text(f: Field, limit: int, names: Sequence[str]) -> MarkdownTextObject:
    name = mrkdwn(f.name, limit // 4)
    value = markdown(f.value, limit - length(name) - 3, names)  # "*", "*" and a new line
    value.text = f"*{name}*\n{value.text}"
    return value


def home_view(reply: Reply, notice: Reply | None = None) -> View:
    """The App Home tab: the member's overview, after the answer to a button they pressed
    there — its text, then its fields and buttons when it has them (a "Show more" page)."""
    blocks: list[Block] = []
    shown: frozenset[str] = frozenset()
    if notice is not None:
        line = f"*{mrkdwn(notice.title, NOTICE_TITLE)}* — " if notice.title else ""
        text = markdown(notice.text, SECTION_TEXT - length(line), notice.names)
        text.text = line + with_mentions(text.text, notice)
        blocks = [SectionBlock(text=text), *_fields_and_buttons(notice, MAX_BLOCKS - 1)]
        shown = frozenset(b.id[:ACTION_ID] for b in notice.actions)
    head = _head(reply)
    # An action id may appear only once in a view: what the notice shows is not repeated.
    home = head + _fields_and_buttons(reply, MAX_BLOCKS - len(head), skip=shown)
    return View(type="home", blocks=blocks + home)


def command_modal(command: Command, metadata: Mapping[str, Any], form: Form | None = None) -> View:
    """A form with one input per option; ``block_id`` and ``action_id`` are the option's name.

    ``metadata`` (where the command was typed, its response_url) travels in
    ``private_metadata`` so the submission can answer in the same place. A :class:`Form`
    narrows it to its fields (unless it shows ``all_options``), filled in with their values
    — a field with ``choices`` as a menu of them — and carries its hidden options there too
    (``hidden``), for the submission to add back.
    """
    options = list(command.options)
    values: dict[str, str] = {}
    menus: dict[str, tuple[tuple[str, str], ...]] = {}
    carried: dict[str, Any] = {"command": command.name, **metadata}
    if form is not None:
        if not form.all_options:
            options = [o for name, _ in form.fields if (o := command.option(name)) is not None]
        values = dict(form.fields)
        menus = dict(form.choices)
        carried["hidden"] = dict(form.hidden)
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        title=PlainTextObject(
            text=truncate(form.title if form else f"/{command.name}", MODAL_TITLE)
        ),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps(carried),
        blocks=[
            *_note(form),
            *(
                InputBlock(
                    block_id=option.name,
                    label=PlainTextObject(
                        text=truncate(option.name.replace("-", " ").title(), LABEL)
                    ),
                    hint=PlainTextObject(text=truncate(_hint(option, option.name in menus), LABEL)),
                    element=_menu(option.name, menus[option.name], values.get(option.name) or None)
                    if option.name in menus
                    else _input_element(option, values.get(option.name) or None),
                    optional=not option.required,
                )
                for option in options
            ),
        ],
    )


def _note(form: Form | None) -> list[ContextBlock]:
    """The form's own line above its fields, if it has one."""
    if form is None or not form.note:
        return []
    text = PlainTextObject(text=truncate(form.note, CONTEXT_TEXT))
    return [ContextBlock(block_id="form-note", elements=[text])]


def _date_picker(name: str, shape: Shape, value: str | None) -> Any:
    return DatePickerElement(action_id=name, initial_date=value)


def _number(name: str, shape: Shape, value: str | None) -> Any:
    return NumberInputElement(
        action_id=name,
        is_decimal_allowed=False,
        min_value=None if shape.min_value is None else str(shape.min_value),
        max_value=None if shape.max_value is None else str(shape.max_value),
        initial_value=value,
    )


def _select(name: str, choices: tuple[str, ...], value: str | None) -> Any:
    shown = [Option(text=truncate(c, OPTION_TEXT), value=c) for c in choices]
    return StaticSelectElement(
        action_id=name,
        options=shown,
        initial_option=next((o for o in shown if o.value == value), None),
    )


def _menu(name: str, choices: tuple[tuple[str, str], ...], value: str | None) -> Any:
    """A menu of a form's own choices (label, value), as many as a menu holds."""
    shown = [
        Option(text=truncate(label, OPTION_TEXT), value=choice)
        for label, choice in choices[:MENU_OPTIONS]
    ]
    return StaticSelectElement(
        action_id=name,
        options=shown,
        initial_option=next((o for o in shown if o.value == value), None),
    )


def _on_off(name: str, shape: Shape, value: str | None) -> Any:
    return _select(name, ("on", "off"), value)


def _text(name: str, shape: Shape, value: str | None) -> Any:
    if shape.choices:
        return _select(name, shape.choices, value)
    longest = shape.max_length or PLAIN_TEXT_INPUT
    return PlainTextInputElement(
        action_id=name,
        multiline=shape.multiline or longest > LONG_TEXT,
        max_length=min(longest, PLAIN_TEXT_INPUT),
        initial_value=value,
    )


def _file(name: str, shape: Shape, value: str | None) -> Any:
    """A file picker; the submission carries the file's id and private URL, which the app
    downloads with its token before the core sees the file."""
    return FileInputElement(action_id=name, filetypes=["csv", "txt"], max_files=1)


# Each neutral kind of option as a Block Kit input element; the core never names one.
ELEMENTS: dict[Kind, Callable[[str, Shape, str | None], Any]] = {
    Kind.DATE: _date_picker,
    Kind.INTEGER: _number,
    Kind.BOOLEAN: _on_off,
    Kind.TEXT: _text,
    Kind.FILE: _file,
}


def _hint(option: CommandOption, picked: bool) -> str:
    """The option's description; where a picker or menu is shown, without the examples of
    what to type."""
    if picked or option.shape.kind in (Kind.DATE, Kind.BOOLEAN) or option.shape.choices:
        return wording.without_examples(option.description)
    return option.description


def _input_element(option: CommandOption, value: str | None = None) -> Any:
    """The input for ``option``, showing ``value`` (a form's current value) if any."""
    shape = option.shape
    return ELEMENTS[shape.kind](option.name, shape, value)


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


def modal_error(view: Mapping[str, Any], command: Command, reply: Reply) -> dict[str, str] | None:
    """``response_action: errors`` for a refused form, in the words for a form: on the
    field at fault when the form shows it, else on its first field; None when it shows
    none (then the form closes and the error is answered as a message). A submission
    that does not list the form's blocks is read as showing every option."""
    blocks = view.get("blocks")
    shown = (
        [b["block_id"] for b in blocks if b.get("type") == "input" and b.get("block_id")]
        if blocks
        else [o.name for o in command.options]
    )
    if not shown:
        return None
    field = reply.error_option if reply.error_option in shown else shown[0]
    return {field: truncate(reply.form_text or reply.text, FIELD_ERROR)}
