"""Commands declared once, as data.

Every adapter derives its native commands (Slack slash commands and modals,
Discord app commands, console lines), the help text and the Slack manifest
from these declarations. Names and descriptions are checked at registration
against the strictest platform rules (Discord's), so a bad declaration fails
at import time rather than at sync time. Options and their types live in
:mod:`bot.option_types` (re-exported here, where commands are declared).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.option_types import Option, OptionType
from bot.replies import Button, ButtonStyle, Reply, Visibility

if TYPE_CHECKING:
    from bot.context import Context

__all__ = [
    "Action",
    "Command",
    "Message",
    "Option",
    "OptionType",
    "Registry",
    "Shortcut",
    "ShortcutKind",
]

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
DESCRIPTION_MAX = 100
SHORTCUT_TITLE_MAX = 24  # what a shortcut menu shows whole


Handler = Callable[["Context", dict[str, Any]], Awaitable[Reply]]
ActionHandler = Callable[["Context", str], Awaitable[Reply]]
HomeView = Callable[["Context"], Awaitable[Reply]]


class ShortcutKind(StrEnum):
    """Where a shortcut is offered: on a message (Slack's message menu) or anywhere."""

    MESSAGE = "message"
    GLOBAL = "global"


@dataclass(frozen=True)
class Message:
    """The message a shortcut was used on, as its platform describes it: its link, and its
    author — ``author_is_person`` when the author is a person of the workspace (not an app,
    a bot, a deactivated account or someone from another organisation)."""

    link: str | None = None
    author_id: str | None = None
    author_name: str = ""
    author_is_person: bool = False


ShortcutHandler = Callable[["Context", Message | None], Awaitable[Reply]]


@dataclass(frozen=True)
class Shortcut:
    """An entry in a platform's shortcut menus: its handler answers with a form to open
    (``Reply.form``) or a reason not to. ``name`` is its stable id (Slack's callback id)."""

    name: str
    title: str
    description: str
    kind: ShortcutKind
    handler: ShortcutHandler


@dataclass(frozen=True)
class Action:
    """A kind of button: the id prefix its buttons carry and the handler that answers a
    press, declared together, so a button's id is built next to what answers it.

    A button's id is ``<name>:<argument>``; it must survive restarts (old messages keep
    their buttons), so the argument is a stable value such as a row id.
    """

    name: str
    handler: ActionHandler

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.name):
            raise ValueError(f"bad action name {self.name!r}")

    def button(
        self, argument: object, label: str, style: ButtonStyle = ButtonStyle.DEFAULT
    ) -> Button:
        return Button(f"{self.name}:{argument}", label, style)


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    handler: Handler
    options: tuple[Option, ...] = ()
    example: str = ""
    visibility: Visibility = Visibility.EPHEMERAL
    admin_only: bool = False
    # Needs a server's group (its channel, board, pairs or posts), so only that server's
    # install runs it; every other command works through a member's own install too, from
    # DMs and servers without peerpath (their own logs and settings).
    group: bool = False

    @property
    def personal(self) -> bool:
        """Runs through a member's own install: every command but a group's."""
        return not self.group

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    @property
    def usage(self) -> str:
        parts = [f"/{self.name}"]
        for o in self.options:
            parts.append(f"{o.name}=…" if o.required else f"[{o.name}=…]")
        return " ".join(parts)


@dataclass
class Registry:
    """All commands, button actions, shortcuts and the home view; validated as they are
    added. ``forms`` are commands only a form submits (a shortcut's): no platform derives a
    typed command from them."""

    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    shortcuts: dict[str, Shortcut] = field(default_factory=dict)
    forms: dict[str, Command] = field(default_factory=dict)
    home: HomeView | None = None  # the member's overview (Slack's App Home tab)
    newcomer_home: Callable[[], Reply] | None = None  # the overview of someone not yet known

    def add(self, command: Command) -> Command:
        self._check(command)
        self.commands[command.name] = command
        return command

    def add_form(self, command: Command) -> Command:
        """A command that only a form submits (never typed, never a platform command)."""
        self._check(command)
        self.forms[command.name] = command
        return command

    def add_shortcut(self, shortcut: Shortcut) -> Shortcut:
        _check_name(shortcut.name, "shortcut")
        _check_description(shortcut.description, f"shortcut {shortcut.name}")
        if not 1 <= len(shortcut.title) <= SHORTCUT_TITLE_MAX:
            raise ValueError(f"shortcut {shortcut.name}: title must be 1-{SHORTCUT_TITLE_MAX}")
        if shortcut.name in self.shortcuts:
            raise ValueError(f"shortcut {shortcut.name} declared twice")
        self.shortcuts[shortcut.name] = shortcut
        return shortcut

    def _check(self, command: Command) -> None:
        _check_name(command.name, "command")
        _check_description(command.description, f"/{command.name}")
        if command.name in self.commands or command.name in self.forms:
            raise ValueError(f"command /{command.name} declared twice")
        seen_optional = False
        names: set[str] = set()
        for o in command.options:
            _check_name(o.name, f"option of /{command.name}")
            _check_description(o.description, f"option {o.name} of /{command.name}")
            if o.name in names:
                raise ValueError(f"/{command.name} declares option {o.name} twice")
            names.add(o.name)
            try:
                o.type.check(o)
            except ValueError as error:
                raise ValueError(f"/{command.name}: {error}") from None
            if o.required and seen_optional:
                raise ValueError(f"/{command.name}: required option {o.name} after optional ones")
            seen_optional = seen_optional or not o.required

    def add_action(self, action: Action) -> Action:
        """Answer presses of buttons whose id is ``<action.name>:argument``."""
        if action.name in self.actions:
            raise ValueError(f"action {action.name!r} declared twice")
        self.actions[action.name] = action
        return action

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands.values())

    def get(self, name: str) -> Command | None:
        return self.commands.get(name.lstrip("/").lower())

    def submitted(self, name: str) -> Command | None:
        """The command a form submits: a typed one, or one only forms submit."""
        return self.get(name) or self.forms.get(name)


def _check_name(name: str, what: str) -> None:
    if not NAME_RE.match(name):
        raise ValueError(f"{what} name {name!r} must be lowercase, 1-32 chars of a-z 0-9 - _")


def _check_description(text: str, what: str) -> None:
    if not 1 <= len(text) <= DESCRIPTION_MAX:
        raise ValueError(f"{what}: description must be 1-{DESCRIPTION_MAX} characters")
