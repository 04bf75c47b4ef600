"""The Discord adapter: a discord.py client that hands every interaction to the core.

It translates and never decides: slash commands, modal submissions, button
presses and autocomplete become :class:`Invocation`s for :class:`Peerpath`,
and the neutral replies come back as embeds. Discord wants an answer within
3 seconds, so a reply that takes longer is deferred and sent as a follow-up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import aiohttp
import discord
from discord import app_commands

from adapters.discord.commands import (
    MODAL_TIMEOUT,
    LongTextModal,
    build_app_command,
    commands_digest,
    forgotten_form,
    long_text_options,
    submitted_values,
)
from adapters.discord.render import NO_MENTIONS, ActionButton, render
from bot.app import Peerpath
from bot.invocation import Invocation
from bot.option_types import Upload
from bot.registry import Command, Option
from bot.replies import Form, Reply, Visibility, error_reply

log = logging.getLogger("peerpath.discord")

PLATFORM = "discord"
DEFER_AFTER = 2.0  # seconds of core work before deferring, well inside Discord's 3 s


def command_invocation(interaction: discord.Interaction) -> Invocation:
    """Who ran a command where. Run where peerpath's server install is not behind it (a DM,
    a server without the bot: the member's own install), it is personal — the core keeps
    it in their personal workspace."""
    if interaction.guild_id is not None and interaction.is_guild_integration():
        return invocation_for(interaction, interaction.guild_id)
    return Invocation(
        platform=PLATFORM,
        workspace_id="",
        user_id=str(interaction.user.id),
        user_name=interaction.user.display_name,
        channel_id=str(interaction.channel_id) if interaction.channel_id else None,
        request_id=str(interaction.id),
        locale=interaction.locale.value,
        personal=True,
    )


def invocation_for(interaction: discord.Interaction, guild_id: int) -> Invocation:
    """The neutral description of who did what where; the interaction id dedups retries."""
    guild_name = getattr(interaction.guild, "name", None) or ""
    channel_name = getattr(interaction.channel, "name", None) or ""
    return Invocation(
        platform=PLATFORM,
        workspace_id=str(guild_id),
        workspace_name=guild_name,
        user_id=str(interaction.user.id),
        user_name=interaction.user.display_name,
        channel_id=str(interaction.channel_id) if interaction.channel_id else None,
        channel_name=channel_name,
        is_admin=interaction.permissions.manage_guild,
        request_id=str(interaction.id),
        locale=interaction.locale.value,
    )


# Application command, component, autocomplete, modal submit: what a bot is sent.
KNOWN_INTERACTIONS = frozenset(t.value for t in discord.InteractionType if t.value >= 2)


class PeerpathClient(discord.Client):
    """A discord.py client whose commands are the registry's and whose work is the core's."""

    def __init__(
        self,
        app: Peerpath,
        guild_id: int | None,
        defer_after: float = DEFER_AFTER,
        guild_ready_timeout: float = 2.0,
        **sharding: Any,
    ) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            max_ratelimit_timeout=30.0,
            **sharding,
        )
        self.app = app
        self.guild = discord.Object(guild_id) if guild_id else None
        self.defer_after = defer_after
        self.tree = app_commands.CommandTree(self)
        self.synced: bool | None = None  # after login: whether commands had to be pushed
        self._forms: dict[str, float] = {}  # the long-text forms open: key → when they close
        self._guard_interaction_parser()

    def _guard_interaction_parser(self) -> None:
        """Log and drop an INTERACTION_CREATE that discord.py cannot parse.

        discord.py parses gateway events inside its receive loop, so one malformed
        interaction raising there would drop the whole connection (and reconnect).
        The parser table (``ConnectionState.parsers``, read by the gateway for every
        event) is discord.py's internal API; this wraps one entry of it.
        """
        parsers = self._connection.parsers
        parse = parsers["INTERACTION_CREATE"]

        def guarded(data: Any) -> None:
            kind = data.get("type") if isinstance(data, dict) else None
            if kind not in KNOWN_INTERACTIONS:
                log.warning("ignored an interaction of unknown type %r", kind)
                return
            if not isinstance(data.get("data"), dict):  # would fail later, in a task of its own
                log.warning("ignored an interaction without its data object")
                return
            try:
                parse(data)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                log.warning("ignored a malformed interaction: %s: %s", type(error).__name__, error)

        parsers["INTERACTION_CREATE"] = guarded

    async def setup_hook(self) -> None:
        """After login, before the gateway: persistent buttons, commands, and a sync if needed."""
        self.add_dynamic_items(ActionButton)
        for command in self.app.registry:
            app_command = build_app_command(
                command, self.run_command, self.contact_names, personal_installs=self.guild is None
            )
            self.tree.add_command(app_command, guild=self.guild)
        self.synced = await self.sync_if_changed()

    async def sync_if_changed(self) -> bool:
        """Push the commands only when they differ from what Discord already has.

        Discord allows 200 command creations a day per server, and a restart
        must not spend them. The comparison is against the application's current
        commands fetched from Discord (a GET, which costs nothing against that
        limit) rather than a stored hash: it needs no file or table, works the
        same on SQLite and PostgreSQL and in throwaway containers, and notices
        when someone changed the commands by other means.
        """
        assert self.application_id is not None  # set by login
        local = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=self.guild)]
        if self.guild is None:
            remote = await self.http.get_global_commands(self.application_id)
        else:
            remote = await self.http.get_guild_commands(self.application_id, self.guild.id)
        if commands_digest(local) == commands_digest(remote):
            log.info("Discord commands unchanged; not syncing")
            return False
        await self.tree.sync(guild=self.guild)
        log.info("synced %d Discord commands", len(local))
        return True

    # ---- what Discord sends ------------------------------------------------

    async def run_command(
        self, interaction: discord.Interaction, command: Command, raw: dict[str, Any]
    ) -> None:
        """A slash command: open the long-text form if it needs one, else run it."""
        ask = long_text_options(command, raw)
        if ask:
            await self._open_form(interaction, command, ask, raw)
            return
        await self.run_command_now(interaction, command, raw)

    async def _open_form(
        self,
        interaction: discord.Interaction,
        command: Command,
        options: list[Option],
        carried: dict[str, Any],
        values: dict[str, str] | None = None,
        title: str | None = None,
    ) -> None:
        """Open a form for ``options``; its submission runs ``command`` with ``carried``
        and what was written. Open forms are remembered until they close."""

        async def submitted(
            modal_interaction: discord.Interaction, written: dict[str, Any]
        ) -> None:
            await self.run_command_now(modal_interaction, command, {**carried, **written})

        key = f"{command.name}:{interaction.id}"
        modal = LongTextModal(command, options, submitted, key, values, title)
        await interaction.response.send_modal(modal)
        now = time.monotonic()
        self._forms = {k: ends for k, ends in self._forms.items() if ends > now}
        self._forms[key] = now + MODAL_TIMEOUT

    async def _open_reply_form(self, interaction: discord.Interaction, form: Form) -> bool:
        """A reply that is a form (an Edit button): opened, if its command still exists."""
        command = self.app.registry.submitted(form.command)
        if command is None:
            return False
        options = [o for name, _ in form.fields if (o := command.option(name)) is not None]
        if form.all_options:
            options = list(command.options)
        await self._open_form(
            interaction, command, options, dict(form.hidden), dict(form.fields), form.title
        )
        return True

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A form this client no longer waits for (opened before a restart, or left open
        past its hour) is dropped by discord.py, and Discord would tell the member only that
        the interaction failed. Hand back what they wrote instead, so none of it is lost."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Any = interaction.data
        key = str(data.get("custom_id", ""))
        if self._forms.get(key, 0.0) > time.monotonic():
            return  # discord.py passes it to the form's own handler
        command = self.app.registry.get(key.partition(":")[0])  # a forged id names none
        reply = forgotten_form(command.name if command else None, submitted_values(data))
        await self._respond(interaction, reply, False)

    async def run_command_now(
        self, interaction: discord.Interaction, command: Command, raw: dict[str, Any]
    ) -> None:
        invocation = command_invocation(interaction)

        async def work() -> Reply:
            try:
                values = {k: await _uploaded(v) for k, v in raw.items()}
            except (discord.HTTPException, aiohttp.ClientError) as error:
                log.warning("attachment not fetched: %s", type(error).__name__)
                return error_reply("Discord didn't hand over the attached file; try again.")
            return await self.app.run(invocation, command, values)

        # A personal command's answer is private (the core's rule): so is its placeholder.
        visibility = Visibility.EPHEMERAL if invocation.personal else command.visibility
        await self._answer(interaction, work, visibility)

    async def press_button(
        self, interaction: discord.Interaction, action_id: str, guild_id: int | None
    ) -> None:
        """A button: the core handles ``action_id`` and its reply replaces the message.
        Outside a server, a button from our own DMs names its workspace (the server, or the
        member's personal one); any other is on an answer to the member's own install."""
        if interaction.guild_id is None and guild_id is not None:
            # The workspace is the button's word, not Discord's.
            invocation = invocation_for(interaction, guild_id)
            invocation = replace(invocation, is_admin=False, members_only=True)
        else:
            invocation = command_invocation(interaction)
        await self._answer(
            interaction,
            lambda: self.app.press(invocation, action_id),
            Visibility.EPHEMERAL,
            update=True,
        )

    async def contact_names(
        self, interaction: discord.Interaction, prefix: str
    ) -> list[tuple[str, str]]:
        """Autocomplete for contact options: the member's own contacts only."""
        return await self.app.contact_names(command_invocation(interaction), prefix)

    async def _answer(
        self,
        interaction: discord.Interaction,
        work: Callable[[], Awaitable[Reply]],
        visibility: Visibility,
        update: bool = False,
    ) -> None:
        """Answer directly when the core is quick; otherwise defer, then follow up."""
        task = asyncio.ensure_future(work())
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if task in done:
            await self._respond(interaction, task.result(), update)
            return
        ephemeral = visibility is Visibility.EPHEMERAL
        if update:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        await self._follow_up(interaction, await task, update, ephemeral)

    async def _respond(self, interaction: discord.Interaction, reply: Reply, update: bool) -> None:
        if reply.form is not None and not reply.is_error:
            if await self._open_reply_form(interaction, reply.form):
                return
        rendered = render(reply)
        if update and not reply.is_error:
            await interaction.response.edit_message(**rendered.for_edit())
        else:
            # A failed press leaves the message as it was and explains privately.
            await interaction.response.send_message(
                ephemeral=reply.ephemeral or update, **rendered.for_send()
            )

    async def _follow_up(
        self, interaction: discord.Interaction, reply: Reply, update: bool, ephemeral: bool
    ) -> None:
        rendered = render(reply)
        if update and not reply.is_error:
            await interaction.edit_original_response(**rendered.for_edit())
            return
        if not update and reply.ephemeral and not ephemeral:
            # The public "thinking…" placeholder must not turn into a public error.
            await interaction.delete_original_response()
        await interaction.followup.send(ephemeral=reply.ephemeral, **rendered.for_send())


class ShardedPeerpathClient(PeerpathClient, discord.AutoShardedClient):
    """The same client over several gateway shards (``DISCORD_SHARD_COUNT``/``_IDS``).

    Discord routes each server's events to shard ``(guild_id >> 22) % count``;
    replicas that each run some of the shards together serve every server. With a
    count given, discord.py connects without asking Discord for a recommendation.
    """


async def _uploaded(value: Any) -> Any:
    """An attached file as the core takes it (its bytes, fetched from Discord's CDN);
    any other value as it came."""
    if isinstance(value, discord.Attachment):
        return Upload(value.filename, await value.read())
    return value
