"""Test helpers: a real core on a real database, and members who type commands at it."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from adapters import console
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.invocation import Invocation
from bot.ports import DeliveryFailed, Notifier
from bot.replies import Reply
from bot.storage import db
from scheduling.outbox import Outbox

# A Wednesday morning, so that "yesterday" and "last friday" are unambiguous in tests.
START = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
POSTGRES_URL = os.environ.get("PEERPATH_TEST_POSTGRES_URL")
NO_POSTGRES = "PEERPATH_TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)"


async def count(app: Peerpath, model: type) -> int:
    """Rows of ``model``'s table, in every workspace."""
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


def outbox(app: Peerpath, notifiers: Mapping[str, Notifier], **options: int) -> Outbox:
    """An outbox over ``app``'s database, clock, default zone and lease, as ``peerpath run``
    builds it."""
    lease = timedelta(seconds=app.settings.nudge_lease_seconds)
    return Outbox(
        app.sessions,
        app.clock,
        app.settings.default_tz,
        notifiers,
        lease=lease,
        writer=app.writer,
        retention=timedelta(days=app.settings.uninstalled_retention_days),
        **options,
    )


@asynccontextmanager
async def postgres_schema(url: str) -> AsyncIterator[dict]:
    """A fresh schema for one test; yields the engine arguments that select it."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = db.create_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {"connect_args": {"server_settings": {"search_path": schema}}}
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def core(
    url: str, clock: SimulatedClock, tmp: Path, **engine_kwargs
) -> AsyncIterator[Peerpath]:
    """A migrated core on ``url`` (for PostgreSQL, pass the schema's engine arguments)."""
    settings = Settings(
        DATABASE_URL=url,
        PEERPATH_EXPORT_DIR=tmp / "exports",
        PEERPATH_PUBLIC_URL="https://peerpath.example.org",  # where /coach-link points
    )
    engine = db.create_engine(url, **engine_kwargs)
    await db.upgrade(engine)
    app = Peerpath(settings, clock, build_registry(), engine)
    try:
        yield app
    finally:
        await app.close()


@asynccontextmanager
async def open_app(url: str, clock: SimulatedClock, tmp: Path) -> AsyncIterator[Peerpath]:
    """A migrated core on ``url``; PostgreSQL gets a schema of its own that is dropped after."""
    if not url.startswith("postgresql"):
        async with core(url, clock, tmp) as app:
            yield app
        return
    async with postgres_schema(url) as kwargs, core(url, clock, tmp, **kwargs) as app:
        yield app


@dataclass
class Person:
    """A member typing into one workspace and channel, as the console delivers it."""

    app: Peerpath
    name: str
    workspace: str = "acme-cohort"
    channel: str = "general"
    platform: str = "console"
    is_admin: bool = False

    def invocation(self, request_id: str | None = None) -> Invocation:
        found = console.invocation(
            self.workspace, self.name, self.channel, self.is_admin, request_id
        )
        return found if self.platform == "console" else replace(found, platform=self.platform)

    async def say(self, line: str, request_id: str | None = None) -> Reply:
        """Run ``/command text`` and return the reply."""
        name, _, rest = line.lstrip("/").partition(" ")
        return await self.app.run_text(self.invocation(request_id), name, rest)

    async def press(self, action_id: str) -> Reply:
        return await self.app.press(self.invocation(), action_id)


class RecordingNotifier(console.ConsoleNotifier):
    """The console's notifier, silent, failing when told to: the receiving side of a
    platform for tests."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, list[DeliveryFailed]] = {}

    def fail_next(self, target: str, *failures: DeliveryFailed) -> None:
        self.failures.setdefault(target, []).extend(failures)

    async def deliver(self, target: str, reply: Reply, keys: Sequence[str]) -> None:
        pending = self.failures.get(target)
        if pending:
            raise pending.pop(0)
        await super().deliver(target, reply, keys)

    def titles(self, target: str | None = None) -> list[str | None]:
        return [d.reply.title for d in self.received if target in (None, d.target)]

    def keys(self) -> list[str]:
        return [k for d in self.received for k in d.keys]
