"""Shared fixtures: a fixed clock and a real database (SQLite file, PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Peerpath
from bot.clock import SimulatedClock
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
def ann(app: Peerpath) -> Person:
    return Person(app, "ann")


@pytest.fixture
def ben(app: Peerpath) -> Person:
    return Person(app, "ben")
