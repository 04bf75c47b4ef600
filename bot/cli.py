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
from datetime import datetime

from bot import db
from bot.app import Peerpath
from bot.clock import SimulatedClock, SystemClock
from bot.commands import build_registry
from bot.config import Settings
from bot.ports import PlatformAdapter

NO_PLATFORM = (
    "No chat platform is configured (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack, "
    "or DISCORD_TOKEN for Discord, in the environment or a .env file).\n"
    "Starting the local console instead."
)


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
    database = sub.add_parser("db", help="database maintenance")
    database.add_argument("action", choices=["upgrade", "current"])
    database.add_argument("--db", help="database URL (default: DATABASE_URL or ./peerpath.db)")
    discord_setup = sub.add_parser("discord", help="Discord setup helpers")
    discord_setup.add_argument(
        "action", choices=["invite-url"], help="print the link that adds the bot to a server"
    )
    slack = sub.add_parser("slack", help="Slack app set-up")
    slack.add_argument("action", choices=["manifest"], help="print the app manifest")
    slack.add_argument("--url", help="public base URL for HTTP mode (default: Socket Mode)")
    slack.add_argument("--output", help="write to this file instead of standard output")
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
    settings = Settings()
    if getattr(args, "db", None):
        settings.database_url = args.db
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise
    try:
        return asyncio.run(dispatch(args, settings))
    except KeyboardInterrupt:
        return 130


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "db":
        engine = db.create_engine(settings.database_url)
        try:
            if args.action == "upgrade":
                await db.upgrade(engine)
            print(f"database at revision {await db.current_revision(engine)}")
        finally:
            await engine.dispose()
        return 0
    if args.command == "slack":
        return slack_manifest(args)
    if args.command == "console":
        return await console(settings, args)
    if args.command == "discord":
        from adapters import discord

        try:
            print(discord.invite_url(await discord.application_id(settings)))
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        return 0
    if not settings.platforms():
        print(NO_PLATFORM, file=sys.stderr)
        return await console(settings, parser().parse_args(["console"]))
    return await run(settings)


async def run(settings: Settings) -> int:
    """Serve every configured platform from one process until interrupted."""
    import importlib

    from scheduling.outbox import Outbox
    from scheduling.runner import Scheduler

    app = await Peerpath.open(settings, SystemClock(), build_registry())
    adapters: list[PlatformAdapter] = []
    scheduler: Scheduler | None = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signame in ("SIGINT", "SIGTERM"):
        loop.add_signal_handler(getattr(signal, signame), stop.set)
    try:
        for platform in settings.platforms():
            module = importlib.import_module(f"adapters.{platform}")
            try:
                adapter = module.build(app, settings)
                await adapter.start()
            except ValueError as error:  # a setting missing or wrong: say which, no traceback
                print(f"Cannot start {platform}: {error}", file=sys.stderr)
                return 2
            adapters.append(adapter)
            logging.getLogger("peerpath").info("%s adapter ready", platform)
        outbox = Outbox(app, {a.platform: a.notifier for a in adapters})
        scheduler = Scheduler(outbox, interval=settings.sweep_seconds)
        scheduler.start()
        await stop.wait()
    finally:
        if scheduler is not None:
            await scheduler.stop()
        for adapter in reversed(adapters):
            await adapter.stop()
        await app.close()
    return 0


def slack_manifest(args: argparse.Namespace) -> int:
    from adapters.slack_manifest import manifest_yaml

    text = manifest_yaml(build_registry(), args.url)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


async def console(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.console import Console

    clock = SimulatedClock(args.now or SystemClock().now())
    app = await Peerpath.open(settings, clock, build_registry())
    try:
        session = Console(
            app, clock, args.workspace, args.channel, args.user, admins=frozenset(args.admin)
        )
        await session.run(sys.stdin, interactive=sys.stdin.isatty())
    finally:
        await app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
