"""A database for ``peerpath run`` subprocesses: a SQLite file, or a PostgreSQL schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support import NO_POSTGRES, POSTGRES_URL, postgres_schema


@dataclass
class Database:
    """Where a test's processes keep their data, and how each side selects it."""

    url: str
    env: dict[str, str] = field(default_factory=dict)  # for ``peerpath run``
    engine: dict[str, Any] = field(default_factory=dict)  # for tests.support.core


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        yield Database(f"sqlite+aiosqlite:///{tmp_path / 'peerpath.db'}")
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    async with postgres_schema(POSTGRES_URL) as engine:
        schema = engine["connect_args"]["server_settings"]["search_path"]
        yield Database(POSTGRES_URL, {"PEERPATH_DB_SCHEMA": schema}, engine)
