"""Test helpers: a real core on a real database, and members who type commands at it."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot import db
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands import build_registry
from bot.config import Settings
from bot.context import Invocation
from bot.replies import Reply

# A Wednesday morning, so that "yesterday" and "last friday" are unambiguous in tests.
START = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
POSTGRES_URL = os.environ.get("PEERPATH_TEST_POSTGRES_URL")
NO_POSTGRES = "PEERPATH_TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)"


@asynccontextmanager
async def open_app(url: str, clock: SimulatedClock, tmp: Path) -> AsyncIterator[Peerpath]:
    """A migrated core on ``url``; PostgreSQL gets a schema of its own that is dropped after."""
    settings = Settings(DATABASE_URL=url, PEERPATH_EXPORT_DIR=tmp / "exports")
    schema = None
    kwargs: dict = {}
    if url.startswith("postgresql"):
        schema = "t_" + uuid.uuid4().hex[:12]
        admin = db.create_engine(url)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
        kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
    engine = db.create_engine(url, **kwargs)
    await db.upgrade(engine)
    app = Peerpath(settings, clock, build_registry(), engine)
    try:
        yield app
    finally:
        await app.close()
        if schema:
            admin = db.create_engine(url)
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()


@dataclass
class Person:
    """A member typing into one workspace and channel, as an adapter would deliver it."""

    app: Peerpath
    name: str
    workspace: str = "acme-cohort"
    channel: str = "general"
    platform: str = "console"
    is_admin: bool = False

    def invocation(self, request_id: str | None = None) -> Invocation:
        return Invocation(
            platform=self.platform,
            workspace_id=self.workspace,
            workspace_name=self.workspace,
            user_id=self.name,
            user_name=self.name,
            channel_id=self.channel,
            channel_name=self.channel,
            is_admin=self.is_admin,
            request_id=request_id,
        )

    async def say(self, line: str, request_id: str | None = None) -> Reply:
        """Run ``/command text`` and return the reply."""
        name, _, rest = line.lstrip("/").partition(" ")
        return await self.app.run_text(self.invocation(request_id), name, rest)

    async def press(self, action_id: str) -> Reply:
        return await self.app.press(self.invocation(), action_id)
