"""Registry → discord.py app commands, the long-text modal, and the "did they change?" digest.

Commands are built at runtime from the declarations, so a command someone adds
to the registry tomorrow appears on Discord without touching this file. Only
public discord.py APIs shape them: a callback signature (``__signature__``)
with ``Range`` annotations, and the ``describe``/``rename``/``choices``/
``autocomplete`` decorators. Option values reach the core untouched — the core
checks them, so a bad value reads the same as on Slack and the console.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any, Optional

import discord
from discord import app_commands

from adapters.discord.render import clip
from bot.option_types import Kind, Shape
from bot.registry import Command, Option
from bot.replies import Attachment, Reply

# What the adapter does with a slash command, a contact prefix (suggestions come back as
# (label, value) pairs), and a submitted modal.
Invoke = Callable[[discord.Interaction, Command, dict[str, Any]], Awaitable[None]]
Complete = Callable[[discord.Interaction, str], Awaitable[list[tuple[str, str]]]]
Submit = Callable[[discord.Interaction, dict[str, Any]], Awaitable[None]]

ADMIN_PERMISSIONS = discord.Permissions(manage_guild=True)
MODAL_INPUTS_MAX = 5
MODAL_TITLE_MAX = 45
LABEL_TEXT_MAX = 45
LABEL_DESCRIPTION_MAX = 100
# How long an open form waits for its submission. Generous, because people write their
# notes in it; bounded, because an abandoned form would otherwise stay in memory.
MODAL_TIMEOUT = 3600.0
INPUT_LENGTH_MAX = 4000
LONG_TEXT = 200  # longer options get a multi-line box
AUTOCOMPLETE_MAX = 25
CHOICE_NAME_MAX = 100


def build_app_command(
    command: Command, invoke: Invoke, complete: Complete, personal_installs: bool = False
) -> app_commands.Command:
    """One slash command whose options mirror ``command``'s declaration: for servers, and
    with ``personal_installs`` (global commands only) for members' own installs too."""
    names = {_identifier(o): o.name for o in command.options}

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        raw = {names[key]: value for key, value in values.items() if value is not None}
        await invoke(interaction, command, raw)

    async def contact_choices(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = await complete(interaction, current)
        return [
            app_commands.Choice(name=clip(label, CHOICE_NAME_MAX), value=value)
            for label, value in found[:AUTOCOMPLETE_MAX]
        ]

    parameters = [
        inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        *(_parameter(o) for o in command.options),
    ]
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    decorated: Any = callback
    if command.options:
        decorated = app_commands.rename(**names)(decorated)
        decorated = app_commands.describe(
            **{_identifier(o): o.description for o in command.options}
        )(decorated)
    choices = {
        _identifier(o): [app_commands.Choice(name=c, value=c) for c in o.shape.choices]
        for o in command.options
        if o.shape.choices
    }
    if choices:
        decorated = app_commands.choices(**choices)(decorated)
    contacts = {
        _identifier(o): contact_choices for o in command.options if o.shape.suggests_contacts
    }
    if contacts:
        decorated = app_commands.autocomplete(**contacts)(decorated)
    app_command = app_commands.Command(
        name=command.name, description=command.description, callback=decorated
    )
    if personal_installs:
        # Installable to a member's account too, and usable from DMs and from servers
        # without peerpath. Every command is offered there: the core runs the personal ones
        # and explains that a group's need the server's install (``Command.group``).
        app_command.allowed_installs = app_commands.AppInstallationType(guild=True, user=True)
        app_command.allowed_contexts = app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=True
        )
    else:
        # Commands synced to one server (DISCORD_GUILD_ID) can only be a server's.
        app_command.guild_only = True
        app_command.allowed_contexts = app_commands.AppCommandContext(guild=True)
    if command.admin_only:
        app_command.default_permissions = ADMIN_PERMISSIONS
    return app_command


def _identifier(option: Option) -> str:
    """A Python parameter name for an option (renamed back to the option's own name)."""
    return "o_" + option.name.replace("-", "_")


def _text(shape: Shape) -> Any:
    return app_commands.Range[str, None, shape.max_length]


# Each neutral kind of option as a discord.py annotation (its transformer). A date is a
# string, because "yesterday" must be typeable; the core reads it.
ANNOTATIONS: dict[Kind, Callable[[Shape], Any]] = {
    Kind.INTEGER: lambda shape: app_commands.Range[int, shape.min_value, shape.max_value],
    Kind.BOOLEAN: lambda shape: bool,
    Kind.DATE: _text,
    Kind.TEXT: _text,
    Kind.FILE: lambda shape: discord.Attachment,  # fetched by the client before the core
}


def _parameter(option: Option) -> inspect.Parameter:
    shape = option.shape
    annotation = ANNOTATIONS[shape.kind](shape)
    default: Any = inspect.Parameter.empty
    if not option.required:
        annotation, default = Optional[annotation], None  # noqa: UP045 - needs a runtime type
    return inspect.Parameter(
        _identifier(option),
        inspect.Parameter.KEYWORD_ONLY,
        annotation=annotation,
        default=default,
    )


def long_text_options(command: Command, raw: Mapping[str, Any]) -> list[Option]:
    """The TEXT options a modal should ask for: all of them, when none was typed inline.

    Slash-command options are single-line boxes; notes and referrals are easier to
    write in a multi-line form, so a command invoked without any gets one.
    """
    texts = [o for o in command.options if o.shape.multiline]
    if any(o.name in raw for o in texts):
        return []
    return texts[:MODAL_INPUTS_MAX]


class LongTextModal(discord.ui.Modal):
    """A form for some of a command's options — its long texts, or the fields of a
    :class:`Form` filled in with their values; each input sits in a Label (its text and
    description) and its ``custom_id`` is its option name. Discord forms hold text inputs
    only: dates and choices are typed."""

    def __init__(
        self,
        command: Command,
        options: Iterable[Option],
        submit: Submit,
        key: str,
        values: Mapping[str, str] | None = None,
        title: str | None = None,
    ):
        super().__init__(
            title=clip(title or f"/{command.name}", MODAL_TITLE_MAX),
            custom_id=key,
            timeout=MODAL_TIMEOUT,
        )
        self.submit = submit
        self.inputs: list[discord.ui.TextInput[LongTextModal]] = []
        values = values or {}
        for option in list(options)[:MODAL_INPUTS_MAX]:
            long = option.shape.multiline or option.max_length > LONG_TEXT
            text_input: discord.ui.TextInput[LongTextModal] = discord.ui.TextInput(
                custom_id=option.name,
                style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                required=option.required,
                max_length=min(option.max_length, INPUT_LENGTH_MAX),
                default=values.get(option.name) or None,
            )
            self.inputs.append(text_input)
            self.add_item(
                discord.ui.Label(
                    text=clip(option.name.replace("-", " ").capitalize(), LABEL_TEXT_MAX),
                    description=clip(option.description, LABEL_DESCRIPTION_MAX),
                    component=text_input,
                )
            )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.submit(interaction, {i.custom_id: i.value for i in self.inputs if i.value})


def submitted_values(data: Mapping[str, Any]) -> dict[str, str]:
    """A form's values from its raw submission (input ``custom_id`` → what was typed):
    what is left of a form whose object this process no longer has. Inputs arrive in
    Labels (``component``) or, from forms of the older layout, in rows (``components``)."""
    values = {}
    for item in _inputs(data.get("components")):
        if item.get("value"):
            values[str(item.get("custom_id"))] = str(item["value"])
    return values


def _inputs(components: Any) -> Iterator[Mapping[str, Any]]:
    for item in components if isinstance(components, list) else []:
        if not isinstance(item, dict):
            continue
        if "component" in item:
            yield from _inputs([item["component"]])
        elif "components" in item:
            yield from _inputs(item["components"])
        else:
            yield item


def forgotten_form(command: str | None, values: Mapping[str, str]) -> Reply:
    """The answer to a form of ``command`` submitted after it closed: nothing saved, and,
    as a file (a message could not hold 4,000 characters of notes), all that was written."""
    named = f"/{command}" if command else "the command"
    text = (
        "This form had closed (peerpath restarted, or it stayed open over an hour), so "
        "nothing was saved."
    )
    if not values:
        return Reply(title="That form had closed", text=f"{text} Run {named} again.", is_error=True)
    written = "\n\n".join(
        f"{name.replace('-', ' ').capitalize()}:\n{v}" for name, v in values.items()
    )
    return Reply(
        title="That form had closed",
        text=f"{text} What you wrote is attached: run {named} again and paste it in.",
        attachment=Attachment(
            f"{command}-form.txt" if command else "form.txt", written.encode(), "text/plain"
        ),
        is_error=True,
    )


def commands_digest(payloads: Iterable[Mapping[str, Any]]) -> str:
    """A hash of what users see of a set of commands, equal for what we send and what
    Discord returns for it (Discord adds ids and versions and drops false/empty fields)."""
    normal = sorted((_normal_command(p) for p in payloads), key=lambda c: c["name"])
    return hashlib.sha256(json.dumps(normal, sort_keys=True).encode()).hexdigest()


def _normal_command(payload: Mapping[str, Any]) -> dict[str, Any]:
    permissions = payload.get("default_member_permissions")
    return {
        "name": payload["name"],
        "description": payload["description"],
        "type": payload.get("type", 1),
        "default_member_permissions": None if permissions is None else int(permissions),
        "contexts": sorted(payload.get("contexts") or []),
        # Discord reports the default (a server install) when none was sent.
        "integration_types": sorted(payload.get("integration_types") or [0]),
        "options": [_normal_option(o) for o in payload.get("options") or []],
    }


def _normal_option(option: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": option["name"],
        "description": option["description"],
        "type": option["type"],
        "required": bool(option.get("required", False)),
        "autocomplete": bool(option.get("autocomplete", False)),
        "choices": [[c["name"], c["value"]] for c in option.get("choices") or []],
        "min_value": option.get("min_value"),
        "max_value": option.get("max_value"),
        "min_length": option.get("min_length"),
        "max_length": option.get("max_length"),
    }
