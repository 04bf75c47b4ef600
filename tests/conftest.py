"""Shared fixtures: a fixed clock and a real database (SQLite file, PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.adapters.discord.support import ORIGINAL_API, ORIGINAL_GATEWAY
from tests.fakes.discord_api import FakeDiscord
from tests.support import NO_POSTGRES, POSTGRES_URL, START, Person, open_app


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each core test runs on a SQLite file and again on PostgreSQL (skipped without one)."""
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip(NO_POSTGRES)
        return POSTGRES_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}"


@pytest.fixture
async def app(database_url: str, clock: SimulatedClock, tmp_path: Path) -> AsyncIterator[Peerpath]:
    async with open_app(database_url, clock, tmp_path) as core:
        yield core


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A fake Discord on loopback; afterwards discord.py's class-level URLs (which the
    adapter points at the fake) are put back for whatever runs next."""
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()
    discord.http.Route.BASE = ORIGINAL_API
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = ORIGINAL_GATEWAY


@pytest.fixture
def ann(app: Peerpath) -> Person:
    return Person(app, "ann")


@pytest.fixture
def ben(app: Peerpath) -> Person:
    return Person(app, "ben")
