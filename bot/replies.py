"""The one neutral reply every handler returns, and its plain-text rendering.

Handlers never speak Block Kit or embeds: they return a :class:`Reply`, and each
adapter renders it natively. Button ids are stable strings (``thanked:42``) so a
button on an old message still works after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Visibility(StrEnum):
    """Who sees a reply: only the member who asked, or the whole channel."""

    EPHEMERAL = "ephemeral"
    PUBLIC = "public"


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A clickable action; ``id`` is ``"<action>:<argument>"`` and routes to an action handler."""

    id: str
    label: str
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file for the member: a CSV export or a PNG chart."""

    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Form:
    """A form to open in place of a message, where the platform has forms (Slack and
    Discord modals): the command it submits, the options it shows with the values they
    hold now (or, ``all_options``, all of its options, those filled in), and options it
    carries unseen (which log an edit is for). ``choices`` offer
    a field's values to pick from, as (label, value) — the member's own open requests, say.
    Where there are no forms (the console) the reply's text says how to type the same
    command."""

    command: str
    title: str
    fields: tuple[tuple[str, str], ...]
    hidden: tuple[tuple[str, str], ...] = ()
    choices: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    all_options: bool = False  # every option of the command, ``fields`` filling some in
    note: str = ""  # a line shown above the fields (what the form leaves out, say)


# What a form's menu holds on every platform with menus in forms (Slack: 100 options,
# each shown in 75 characters); the core chooses what fits rather than let one be cut.
MOST_CHOICES = 100
CHOICE_LABEL = 75


@dataclass(frozen=True)
class Mention:
    """A member named so that the platform shows them as a mention (and, in a channel
    post, notifies them). ``token`` goes in a reply's text; each renderer turns exactly
    the tokens of ``Reply.mentions`` into its mention and lets nobody else be notified
    (Slack ``<@U…>``, Discord ``<@id>`` with allowed mentions of these users only, the
    console ``@name``)."""

    user_id: str
    name: str

    @property
    def token(self) -> str:
        return f"<@{self.user_id}>"


@dataclass
class Reply:
    """What a command or button answers; rendered by each adapter."""

    text: str
    title: str | None = None
    fields: list[Field] = field(default_factory=list)
    actions: list[Button] = field(default_factory=list)
    image: Attachment | None = None
    attachment: Attachment | None = None
    form: Form | None = None
    # Who sees it. None: as the command declares (``Command.visibility``), which is where
    # visibility is decided; a handler sets it only to answer otherwise than its command
    # usually does. Errors are always private; posts to a channel always public.
    visibility: Visibility | None = None
    is_error: bool = False
    error_option: str | None = None  # the option an error is about, for showing it on a form
    form_text: str | None = None  # an error's words for a form (no typed example)
    # Display names that appear in the text or fields. They come from members' platform
    # profiles, so renderers show every occurrence as plain text: markup, links and
    # mentions in a name are never interpreted.
    names: tuple[str, ...] = ()
    # Members mentioned in ``text`` by their :attr:`Mention.token`.
    mentions: tuple[Mention, ...] = ()

    @property
    def ephemeral(self) -> bool:
        return self.visibility is not Visibility.PUBLIC


def error_reply(
    message: str,
    example: str | None = None,
    option: str | None = None,
    attachment: Attachment | None = None,
    in_form: str | None = None,
) -> Reply:
    """A friendly, private error: what went wrong and an example of what works (and, as
    ``attachment``, the member's own text when it was too long to repeat). A form shows
    ``in_form`` (by default ``message``): a typed example means nothing there."""
    text = message if example is None else f"{message}\nExample: {example}"
    return Reply(
        text=text,
        title="That didn't work",
        is_error=True,
        error_option=option,
        form_text=in_form or message,
        attachment=attachment,
    )


def render_text(reply: Reply) -> str:
    """Plain text for the console (and as the fallback text on platforms)."""
    lines: list[str] = []
    if reply.title:
        lines.append(f"== {reply.title} ==")
    text = reply.text
    for mention in reply.mentions:
        text = text.replace(mention.token, f"@{mention.name}")
    lines.append(text)
    for f in reply.fields:
        lines.append(f"{f.name}:\n{f.value}" if "\n" in f.value else f"{f.name}: {f.value}")
    for number, button in enumerate(reply.actions, start=1):
        lines.append(f"  [{number}] {button.label}")
    return "\n".join(line for line in lines if line)
