"""The core's front door: adapters hand it invocations and get neutral replies back.

It owns the unit of work: one session and transaction per command, so a
command either writes everything it means to or nothing at all. Errors meant
for people become friendly replies; anything else is logged and answered with
an apology, never a traceback.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as NoConnection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot import dates, links, logs, metrics
from bot.arguments import read_options
from bot.clock import Clock
from bot.commands import choosing, reminders
from bot.config import Settings
from bot.context import Context
from bot.errors import TemporarilyUnavailable, UserError
from bot.invocation import Invocation
from bot.links import Signer
from bot.nudges import recurring
from bot.option_types import Ambiguous
from bot.parsing import parse_text
from bot.registry import Command, Message, Registry
from bot.replies import Reply, Visibility, error_reply
from bot.services import command_keys, contacts, identity, inbox, members, personal, workspaces
from bot.storage import db, failures
from bot.storage.writer import Writer

log = logging.getLogger("peerpath")
commands_log = logging.getLogger("peerpath.commands")

# A first request can lose one race for its workspace, then one for its member (seen with
# Slack's retry of a first command landing on another replica); a third attempt finds both.
ATTEMPTS = 3

UNAVAILABLE = Reply(
    text="peerpath can't reach its database right now. Nothing was saved — "
    "please try again in a minute.",
    title="Temporarily unavailable",
    is_error=True,
)

INTERNAL = Reply(
    text="Something went wrong on our side and nothing was saved. Please try again; "
    "if it keeps happening, tell whoever runs peerpath.",
    title="Sorry",
    is_error=True,
)
DUPLICATE = Reply(
    title="Already done",
    text="Already done — that request was handled once and not repeated.",
)


# What a read that is only a convenience (Home, autocomplete) takes for the database being
# away: the answer is then "unavailable" or nothing, never an error.
DATABASE_AWAY = (OperationalError, DBAPIError, TemporarilyUnavailable, NoConnection, OSError)


class Peerpath:
    """The platform-neutral application: registry, database and clock."""

    def __init__(
        self, settings: Settings, clock: Clock, registry: Registry, engine: AsyncEngine
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.registry = registry
        self.engine = engine
        self.sessions = db.session_factory(engine)
        # SQLite's one writer, shared with the outbox (``bot/storage/writer.py``).
        self.writer = Writer(single=db.sqlite_path(str(engine.url)) is not None)
        self._signer: Signer | None = None  # loaded with the first unit of work

    @classmethod
    async def open(cls, settings: Settings, clock: Clock, registry: Registry) -> Peerpath:
        """Connect, migrate to the latest schema, and return a ready core."""
        app = cls(settings, clock, registry, db.engine_for(settings))
        await app.migrate()
        return app

    async def migrate(self) -> None:
        """Bring the schema up to date. A failure that a setting explains (a missing
        database, a read-only file) or an outage is raised as ``bot.startup``'s one line."""
        try:
            await db.upgrade(self.engine)
        except Exception as error:
            meaning = failures.explain(error, self.engine.url)
            if meaning is None:
                raise
            raise meaning from None
        # What start-up loaded (modules, mappings, the migration machinery) lives as long
        # as the process; frozen, the collector stops re-scanning it on every full pass,
        # which had made the slowest commands several times slower than the median. Only
        # the first start in a process freezes: a later one (tests open many) would also
        # freeze whatever garbage the earlier ones left.
        if gc.get_freeze_count() == 0:
            gc.freeze()

    async def close(self) -> None:
        await self.engine.dispose()

    async def run_text(self, invocation: Invocation, name: str, text: str) -> Reply:
        """Run ``/name text`` as typed on Slack or in the console."""
        command = self.registry.get(name)
        if command is None:
            metrics.observe_command("unknown", "refused")
            return error_reply(
                f"There is no /{name.lstrip('/')} command. Try /peerpath for the list.",
                "/peerpath",
            )
        try:
            raw = parse_text(command, text)
        except UserError as error:
            metrics.observe_command(f"/{command.name}", "refused")
            return error_reply(
                error.message, error.example, error.option, error.attachment, error.in_form
            )
        return await self.run(invocation, command, raw)

    async def run(self, invocation: Invocation, command: Command, raw: Mapping[str, Any]) -> Reply:
        """Run a command whose options are already split out (Discord, Slack modals).

        Through a member's own install only their personal commands run (a group needs
        its server's install); nothing is created for one refused."""
        if invocation.personal and not command.personal:
            metrics.observe_command(f"/{command.name}", "refused")
            mine = ", ".join(f"/{c.name}" for c in self.registry if c.personal)
            return error_reply(personal.NEEDS_SERVER.format(command=command.name, personal=mine))

        async def work(ctx: Context) -> Reply:
            return reminders.mention_closed_dms(ctx.member, await self._handle(ctx, command, raw))

        return await self._unit_of_work(invocation, work, f"/{command.name}")

    async def _handle(self, ctx: Context, command: Command, raw: Mapping[str, Any]) -> Reply:
        """Check ``raw`` against ``command`` and run its handler; the reply's visibility is
        the command's unless the handler asked otherwise (errors are always private).
        A value with two real readings (``date=3/4``) is asked about instead."""
        if command.admin_only and not ctx.is_admin:
            raise UserError(f"/{command.name} is for workspace admins only.")
        ctx.command, ctx.typed = command.name, raw
        try:
            args = read_options(command, raw, ctx.now, ctx.tz, ctx.invocation.locale)
        except Ambiguous as question:
            asked = await choosing.ask(ctx, question.message, question.answers)
            asked.title, asked.visibility = "Which did you mean?", Visibility.EPHEMERAL
            return asked
        command_keys.watch(ctx.session)
        reply = await command.handler(ctx, args)
        # Stored something? The same command again within a minute is then a repeat.
        await command_keys.claim(
            ctx.session, ctx.member, command.name, args, ctx.invocation.channel_id, ctx.now
        )
        if reply.is_error or ctx.invocation.personal:  # a personal install has no channel
            reply.visibility = Visibility.EPHEMERAL
        elif reply.visibility is None:
            reply.visibility = command.visibility
        return reply

    async def press(self, invocation: Invocation, action_id: str) -> Reply:
        """Handle a button press whose id is ``action:argument``."""
        name, _, argument = action_id.partition(":")
        action = self.registry.actions.get(name)
        if action is None:
            return error_reply("That button is no longer supported. Try the command again.")
        return await self._unit_of_work(
            invocation, lambda ctx: action.handler(ctx, argument), f"button {name}"
        )

    async def shortcut(
        self, invocation: Invocation, name: str, message: Message | None = None
    ) -> Reply:
        """A shortcut from a platform's menus (``message``: the one it was used on)."""
        shortcut = self.registry.shortcuts.get(name)
        if shortcut is None:
            return error_reply("That shortcut is no longer supported. Try /peerpath for the list.")
        return await self._unit_of_work(
            invocation, lambda ctx: shortcut.handler(ctx, message), f"shortcut {name}"
        )

    async def home(self, invocation: Invocation) -> Reply:
        """The member's overview for a home screen (Slack's App Home tab).

        Showing it is no command: it never creates a member (someone new sees the
        newcomer's overview, written nowhere), nor brings back one deleted meanwhile
        (/forget-me before a queued refresh: ``members_only`` then refuses it)."""
        view, newcomer = self.registry.home, self.registry.newcomer_home
        if view is None or newcomer is None:
            return error_reply("There is no home view.")
        try:
            async with self.sessions() as session:
                known = await personal.find_acting(session, invocation) is not None
        except DATABASE_AWAY as error:
            log.warning("database unavailable for a home view: %s", error)
            return UNAVAILABLE
        if not known:
            return newcomer()
        return await self._unit_of_work(replace(invocation, members_only=True), view, "home")

    async def _unit_of_work(
        self, invocation: Invocation, work: Callable[[Context], Awaitable[Reply]], what: str
    ) -> Reply:
        """Run ``work`` in one transaction, counted, timed and logged under ``what``."""
        started = time.perf_counter()
        with logs.bound(workspace=invocation.workspace_id, command=what):
            reply = await self._transaction(invocation, work, what)
            seconds = time.perf_counter() - started
            outcome = _outcome(reply)
            metrics.observe_command(what, outcome, seconds)
            commands_log.info("%s %s in %.0f ms", what, outcome, seconds * 1000)
        return reply

    async def _transaction(
        self, invocation: Invocation, work: Callable[[Context], Awaitable[Reply]], what: str
    ) -> Reply:
        if not self.writer.single:
            return await self._attempts(invocation, work, what)
        # As long as the pool itself would wait for its connection.
        wait = self.engine.pool.timeout()  # type: ignore[attr-defined]
        try:
            async with self.writer.turn(wait):
                return await self._attempts(invocation, work, what)
        except TimeoutError:
            log.warning("database busy: no turn for %s in time", what)
            return UNAVAILABLE

    async def _attempts(
        self, invocation: Invocation, work: Callable[[Context], Awaitable[Reply]], what: str
    ) -> Reply:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self.sessions() as session, session.begin():
                    ctx = await self._context(session, invocation)
                    if invocation.request_id and not await members.claim_receipt(
                        session, ctx.workspace, invocation.request_id, ctx.now
                    ):
                        return DUPLICATE
                    with dates.today_is(ctx.today):
                        return await work(ctx)
            except UserError as error:
                return error_reply(
                    error.message, error.example, error.option, error.attachment, error.in_form
                )
            except command_keys.Repeated:  # everything this one wrote is rolled back
                return DUPLICATE
            except IntegrityError:
                # First-time requests raced to create the same row; the next attempt finds it.
                if attempt == ATTEMPTS:
                    log.exception("integrity error in %s", what)
                    return INTERNAL
            # NoConnection: none free within the pool's wait (SQLite's one, held too long).
            except (OperationalError, TemporarilyUnavailable, NoConnection, OSError) as error:
                log.warning("database unavailable during %s: %s", what, error)
                return UNAVAILABLE
            except DBAPIError as error:
                if error.connection_invalidated:
                    log.warning("database connection lost during %s", what)
                    return UNAVAILABLE
                log.exception("database error in %s", what)
                return INTERNAL
            except Exception:
                log.exception("unexpected error in %s", what)
                return INTERNAL
        raise AssertionError("unreachable")

    async def _context(self, session: AsyncSession, invocation: Invocation) -> Context:
        now = self.clock.now()
        workspace, member, group, tz, joined = await identity.identify(
            session, invocation, now, self.settings.default_tz
        )
        if joined:  # a first command in a group's channel: the group's goal check-ins
            await recurring.plan_checkins_for(session, member, now, self.settings.default_tz)
        is_admin = invocation.is_admin or (
            invocation.platform == "console" and await members.is_first(session, workspace, member)
        )
        ctx = Context(
            invocation,
            session,
            workspace,
            member,
            now,
            tz,
            group,
            is_admin,
            self.settings.default_tz,
        )

        async def run_command(name: str, raw: Mapping[str, Any]) -> Reply:
            command = self.registry.get(name)
            if command is None:
                raise UserError(f"/{name} no longer exists. Try /peerpath for the list.")
            return await self._handle(ctx, command, raw)

        ctx.run_command = run_command

        async def signer() -> Signer:
            return await self.signer(session)

        ctx.signer, ctx.public_url = signer, self.settings.public_url
        return ctx

    async def signer(self, session: AsyncSession) -> Signer:
        """What signs and checks links; its key is read (or made) once, when first needed."""
        if self._signer is None:
            key = await links.signing_key(session, self.settings.secret_key, self.clock.now())
            self._signer = Signer(key, self.clock)
        return self._signer

    async def hand_over(self, platform: str, jobs: list[dict[str, Any]]) -> None:
        """Keep answers still owed to acknowledged requests for the next start
        (``bot.services.inbox``); ``jobs`` are the adapter's own JSON."""
        async with self.sessions() as session, session.begin():
            await inbox.put(session, platform, jobs, self.clock.now())

    async def uninstalled(self, platform: str, workspace_id: str) -> None:
        """The app was removed from a workspace: keep its data for the retention days
        (``bot.services.workspaces``), send it nothing meanwhile."""
        async with self.writer.turn(), self.sessions() as session, session.begin():
            marked = await workspaces.uninstalled(session, platform, workspace_id, self.clock.now())
        with logs.bound(workspace=workspace_id):
            log.info(
                "%s workspace %s removed the app%s",
                platform,
                workspace_id,
                f"; its data is kept for {self.settings.uninstalled_retention_days} days"
                if marked
                else "",
            )

    async def installed(self, platform: str, workspace_id: str) -> None:
        """The app was (re-)installed in a workspace: what was kept is its own again."""
        async with self.writer.turn(), self.sessions() as session, session.begin():
            how = await workspaces.installed(session, platform, workspace_id)
        words = {
            "first": "installed the app",
            "again": "installed the app again; its data was kept",
        }
        if how is not None:
            with logs.bound(workspace=workspace_id):
                log.info("%s workspace %s %s", platform, workspace_id, words[how])

    async def handed_over(self, platform: str) -> list[dict[str, Any]]:
        """Take (at most a few hundred of) the answers an earlier process owed on
        ``platform``; each goes to one taker."""
        async with self.sessions() as session, session.begin():
            return await inbox.take(session, platform)

    async def contact_names(
        self, invocation: Invocation, prefix: str, limit: int = 25
    ) -> list[tuple[str, str]]:
        """Autocomplete: the asking member's own contacts whose names start with (or
        contain) ``prefix``, as ``(label, reference)``: the reference (``#12``) is what a
        chosen suggestion submits — short, whatever the name — and what the command
        resolves back to the member's own contact.

        Suggestions are a convenience: with the database away there are none (the
        command itself then says the database is unavailable), never an error."""
        try:
            async with self.sessions() as session:
                member = await personal.find_acting(session, invocation)
                if member is None:
                    return []
                return await contacts.suggestions(session, member, prefix, limit)
        except DATABASE_AWAY as error:
            log.warning("database unavailable during autocomplete: %s", error)
            return []


def _outcome(reply: Reply) -> str:
    """The metrics' word for how a command ended."""
    if reply is DUPLICATE:
        return "duplicate"
    if reply is UNAVAILABLE:
        return "unavailable"
    if reply is INTERNAL:
        return "error"
    return "refused" if reply.is_error else "ok"
