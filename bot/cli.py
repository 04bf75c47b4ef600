"""The ``peerpath`` command: the composition root.

This is the one module in ``bot/`` allowed to import adapters and scheduling:
it reads settings, builds the core, and starts whatever the configuration
asks for (platforms with tokens; the console when there are none).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot import config, logs
from bot.app import Peerpath
from bot.clock import SimulatedClock, SystemClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.ports import PlatformAdapter
from bot.startup import CONFIG_EXIT, ConfigurationError, Unreachable, keep_trying
from bot.storage import db
from bot.storage.process_lock import AlreadyRunning, sole_user

if TYPE_CHECKING:
    from adapters.http import OpsServer
    from scheduling.runner import Scheduler

log = logging.getLogger("peerpath")

NO_PLATFORM = (
    "No chat platform is configured (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack "
    "— or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces — or DISCORD_TOKEN "
    "for Discord, in the environment or a .env file).\n"
    "Starting the local console instead."
)
POSTGRES_BACKUP = (
    "peerpath db backup copies SQLite files. For PostgreSQL use its own tool, e.g.\n"
    '  pg_dump --format=custom --file=peerpath.dump "postgresql://user@host/peerpath"\n'
    "and restore with pg_restore --clean --dbname=… peerpath.dump."
)
# Of the shutdown budget: what handing over unanswered requests and disconnecting take
# after the last sweep has stopped; of that, the least an adapter gets to hand over; and
# what disconnecting takes after the adapters have stopped.
CLOSING_SECONDS = 2.0
HANDOVER_SECONDS = 0.5
DISCONNECT_SECONDS = 1.0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="peerpath",
        description="Peer accountability for "
        "informational interviews, on Slack, Discord or a console.",
    )
    sub = top.add_subparsers(dest="command")
    sub.add_parser("run", help="start the configured platforms (the console when none)")
    console = sub.add_parser("console", help="talk to peerpath in this terminal")
    console.add_argument("--db", help="database URL (default: DATABASE_URL or ./peerpath.db)")
    console.add_argument("--workspace", default="local", help="workspace name (default: local)")
    console.add_argument("--channel", default="general", help="channel name (default: general)")
    console.add_argument("--user", default="me", help="your member name (default: me)")
    console.add_argument(
        "--admin", action="append", default=[], help="a member name with admin rights (repeatable)"
    )
    console.add_argument(
        "--now", type=_moment, help="start the simulated clock here (ISO 8601, default: now)"
    )
    database = sub.add_parser(
        "db",
        help="database maintenance",
        description="upgrade: apply migrations; current: print the revision; check: "
        "migrations current and rows per table; backup PATH: copy a SQLite database "
        "while it is in use (PostgreSQL: use pg_dump).",
    )
    database.add_argument("action", choices=["upgrade", "current", "check", "backup"])
    database.add_argument("path", nargs="?", help="backup: the file to write the copy to")
    database.add_argument("--db", help="database URL (default: DATABASE_URL or ./peerpath.db)")
    discord_setup = sub.add_parser("discord", help="Discord setup helpers")
    discord_setup.add_argument(
        "action",
        choices=["invite-url", "personal-install-url"],
        help="print the link that adds the bot to a server, or installs it to a member",
    )
    slack = sub.add_parser("slack", help="Slack app set-up")
    slack_actions = slack.add_subparsers(dest="action", required=True)
    manifest = slack_actions.add_parser(
        "manifest",
        help="print the app manifest",
        description="Print the Slack app manifest, generated from the command registry: "
        "Socket Mode by default, HTTP mode with --url, Add to Slack with --oauth.",
    )
    manifest.add_argument("--url", help="public base URL for HTTP mode (default: Socket Mode)")
    manifest.add_argument(
        "--oauth",
        action="store_true",
        help="Add to Slack for many workspaces (the default when SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET are set): the redirect URL and uninstall events",
    )
    manifest.add_argument(
        "--socket-mode", action="store_true", help="with --url for OAuth: events over Socket Mode"
    )
    manifest.add_argument("--output", help="write to this file instead of standard output")
    return top


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time; e.g. 2026-03-02T09:00:00+00:00"
        ) from None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        chosen = {"DATABASE_URL": args.db} if getattr(args, "db", None) else {}
        settings = Settings(**chosen)
    except ValidationError as error:  # one line per bad setting, no traceback
        print("\n".join(config.problems(error)), file=sys.stderr)
        return CONFIG_EXIT
    logs.configure(settings.log_level, settings.log_format)
    try:
        return asyncio.run(dispatch(args, settings))
    except KeyboardInterrupt:
        return 130
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return CONFIG_EXIT
    except Unreachable as error:  # the console and maintenance commands do not wait
        print(error, file=sys.stderr)
        return 1
    except AlreadyRunning as error:
        print(error, file=sys.stderr)
        return 3


# The link still works (the application is installable), but offers no commands while
# they are registered to one server: said once, and the link printed all the same.
GUILD_ONLY = (
    "warning: DISCORD_GUILD_ID is set, so peerpath's commands are registered to that one "
    "server and can't be installed personally; unset it to register them globally."
)


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "db":
        return await maintain(args, settings)
    if args.command == "slack":
        return slack_manifest(args, settings)
    if args.command == "console":
        return await console(settings, args)
    if args.command == "discord":
        from adapters.discord import adapter as discord

        try:
            app_id = await discord.application_id(settings)
            links = {
                "invite-url": discord.invite_url,
                "personal-install-url": discord.personal_install_url,
            }
            print(links[args.action](app_id))
            if args.action == "personal-install-url" and settings.discord_guild_id:
                print(GUILD_ONLY, file=sys.stderr)
        except ValueError as error:
            print(error, file=sys.stderr)
            return CONFIG_EXIT
        return 0
    if not settings.platforms():
        print(NO_PLATFORM, file=sys.stderr)
        return await console(settings, parser().parse_args(["console"]))
    return await run(settings)


async def maintain(args: argparse.Namespace, settings: Settings) -> int:
    """``peerpath db …``: migrations, a health check of the schema, backups."""
    if args.action == "backup":
        return await asyncio.to_thread(backup, settings, args.path)
    engine = db.engine_for(settings)
    try:
        if args.action == "upgrade":
            await db.upgrade(engine)
        current, head = await db.current_revision(engine), db.head_revision()
        print(f"database at revision {current}")
        if args.action != "check":
            return 0
        for table, count in (await db.row_counts(engine)).items():
            print(f"  {table:<20} {count:>10} rows")
        if current != head:
            print(f"migrations behind: the code expects {head}; run `peerpath db upgrade`")
            return 1
        print("migrations current")
        return 0
    finally:
        await engine.dispose()


def backup(settings: Settings, target: str | None) -> int:
    """Copy a SQLite database with SQLite's online backup (safe while peerpath runs)."""
    source = db.sqlite_path(settings.database_url)
    if source is None:
        print(POSTGRES_BACKUP, file=sys.stderr)
        return 2
    if not target:
        print(
            "Say where to write the copy, e.g. peerpath db backup backups/peerpath.db",
            file=sys.stderr,
        )
        return 2
    if not source.exists():
        print(f"There is no database at {source} to back up.", file=sys.stderr)
        return 2
    destination = Path(target)
    if destination.exists():
        print(f"{destination} already exists; choose a new file name.", file=sys.stderr)
        return 2
    db.backup_sqlite(source, destination)
    print(f"backed up {source} to {destination}")
    return 0


async def run(settings: Settings) -> int:
    """Serve every configured platform from one process until SIGTERM or SIGINT."""
    with sole_user(settings.database_url):
        app = Peerpath(settings, SystemClock(), build_registry(), db.engine_for(settings))
        try:
            return await serve(app, settings)
        finally:
            await app.close()


def _slack(app: Peerpath, settings: Settings, server: OpsServer) -> PlatformAdapter:
    from adapters.slack.app import build

    return build(app, settings, server=server)


def _discord(app: Peerpath, settings: Settings, server: OpsServer) -> PlatformAdapter:
    from adapters.discord.adapter import build

    return build(app, settings, server=server)


# Each platform's adapter, imported only when its token is set (discord.py alone adds a
# second to start-up).
ADAPTERS: dict[str, Callable[[Peerpath, Settings, OpsServer], PlatformAdapter]] = {
    "slack": _slack,
    "discord": _discord,
}


def _adapter(
    platform: str, app: Peerpath, settings: Settings, server: OpsServer
) -> PlatformAdapter:
    try:
        return ADAPTERS[platform](app, settings, server)
    except ValueError as error:  # a setting missing or wrong: say which
        raise ConfigurationError(f"Cannot start {platform}: {error}") from None


async def serve(app: Peerpath, settings: Settings) -> int:
    """Listen first, so that health probes answer while the database and the platforms
    are reached (each retried with backoff while down); then sweep until told to stop."""
    from adapters.http import OpsServer
    from bot.storage.checkpoints import Checkpointer
    from scheduling.outbox import Outbox
    from scheduling.runner import Scheduler

    server = OpsServer(app, settings.host, settings.port)
    built = [_adapter(platform, app, settings, server) for platform in settings.platforms()]
    adapters: list[PlatformAdapter] = []
    scheduler: Scheduler | None = None
    database_file = db.sqlite_path(settings.database_url)
    checkpointer = Checkpointer(database_file) if database_file is not None else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signame in ("SIGINT", "SIGTERM"):
        loop.add_signal_handler(getattr(signal, signame), stop.set)
    # Reported from the start (fine until sweeps run), so /readyz always lists the same parts.
    server.check("reminders", lambda: scheduler is None or scheduler.healthy, "sweeps failing")
    try:
        await server.start()  # alive from here on; ready once every part is connected
        if not await keep_trying(app.migrate, stop):
            return 0
        if checkpointer is not None:
            checkpointer.start()
        for adapter in built:
            if not await keep_trying(adapter.start, stop):
                return 0
            adapters.append(adapter)
            log.info("%s adapter ready", adapter.platform)
        outbox = Outbox(
            app.sessions,
            app.clock,
            settings.default_tz,
            {a.platform: a.notifier for a in adapters},
            lease=timedelta(seconds=settings.nudge_lease_seconds),
            writer=app.writer,
            retention=timedelta(days=settings.uninstalled_retention_days),
        )
        scheduler = Scheduler(outbox, interval=settings.sweep_seconds)
        scheduler.start()
        await stop.wait()
        log.info("stopping")
    finally:
        await shut_down(server, scheduler, adapters, settings.shutdown_seconds)
        if checkpointer is not None:
            await checkpointer.stop()
    return 0


async def shut_down(
    server: OpsServer, scheduler: Scheduler | None, adapters: list[PlatformAdapter], budget: float
) -> None:
    """Stop within ``budget`` seconds. First stop listening (requests still arriving on open
    connections get 503, which Slack retries) and report not ready; then let the sweep in
    progress finish (its rows are leased, so one cut short is retried, never lost) while
    acknowledged requests are answered; each adapter hands what it still owes at the end
    to the next start; then disconnect."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    await server.drain()
    if scheduler is not None:
        await scheduler.stop(grace=max(0.1, budget - CLOSING_SECONDS))
    for adapter in reversed(adapters):
        within = max(HANDOVER_SECONDS, deadline - DISCONNECT_SECONDS - loop.time())
        await _bounded(adapter.stop(within), deadline - loop.time())
    await _bounded(server.stop(), deadline - loop.time())


async def _bounded(step: Awaitable[None], seconds: float) -> None:
    try:
        await asyncio.wait_for(step, max(0.1, seconds))
    except TimeoutError:
        log.warning("shutdown: a connection did not close in time; leaving it")


def slack_manifest(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.slack.manifest import manifest_yaml

    oauth = args.oauth or settings.slack_oauth
    try:
        text = manifest_yaml(build_registry(), args.url, oauth, args.socket_mode)
    except ValueError as error:
        print(error, file=sys.stderr)
        return CONFIG_EXIT
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


async def console(settings: Settings, args: argparse.Namespace) -> int:
    """The local console. With ``PEERPATH_PUBLIC_URL`` set it also serves HTTP, as
    ``peerpath run`` does, so the links ``/calendar`` and ``/coach-link`` give open."""
    from adapters.console import Console
    from adapters.http import OpsServer

    clock = SimulatedClock(args.now or SystemClock().now())
    logging.getLogger("peerpath.commands").setLevel(logging.WARNING)  # replies say it all
    with sole_user(settings.database_url):
        app = await Peerpath.open(settings, clock, build_registry())
        server = OpsServer(app, settings.host, settings.port) if settings.public_url else None
        try:
            if server is not None:
                try:
                    await server.start()
                    print(
                        f"Links open at {settings.public_url} (serving {settings.host}:"
                        f"{server.port}).",
                        file=sys.stderr,
                    )
                except ConfigurationError as error:  # the console still works without it
                    print(f"{error}; links will not open.", file=sys.stderr)
                    server = None
            session = Console(
                app, clock, args.workspace, args.channel, args.user, admins=frozenset(args.admin)
            )
            await session.run(sys.stdin, interactive=sys.stdin.isatty())
        finally:
            if server is not None:
                await server.stop()
            await app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
