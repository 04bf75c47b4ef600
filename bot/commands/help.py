"""/peerpath: help generated from the registry, so it can never drift from the commands."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.registry import Command, Option, Registry
from bot.replies import Field, Reply

INTRO = (
    "peerpath keeps your informational-interview habit on track: log outreach and "
    "conversations in seconds, get nudged about thank-you notes and follow-ups. "
    "Your notes and contacts are visible only to you."
)


def command_help(command: Command) -> str:
    lines = [command.description + ("  (admins only)" if command.admin_only else "")]
    for option in command.options:
        lines.append(
            f"  • {option.name}{'' if option.required else ' (optional)'}: "
            f"{option.description}{option.type.help(option)}"
        )
    if command.example:
        lines.append(f"  e.g. {command.example}")
    return "\n".join(lines)


def help_reply(registry: Registry, name: str | None) -> Reply:
    if name:
        command = registry.get(name)
        if command is None:
            raise UserError(
                f"There is no /{name.lstrip('/')} command.", "/peerpath logged-interview"
            )
        return Reply(title=f"/{command.name}", text=command_help(command))
    return Reply(
        title="peerpath",
        text=INTRO,
        fields=[Field(f"/{c.name}", command_help(c)) for c in registry],
    )


def register(registry: Registry) -> None:
    async def peerpath(ctx: Context, args: dict[str, Any]) -> Reply:
        return help_reply(registry, args["command"])

    registry.add(
        Command(
            name="peerpath",
            description="Help: every command with its options and an example",
            handler=peerpath,
            options=(Option("command", "Show help for one command, e.g. thanked"),),
            example="/peerpath logged-interview",
        )
    )
