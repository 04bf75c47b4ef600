"""SQLite checkpoints: not inside commits, but in the background, and nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.storage import checkpoints, db

PAGE = 4096
PAGES = 1_500  # past SQLite's default checkpoint threshold of 1,000 pages


@pytest.fixture
async def engine(tmp_path: Path) -> Any:
    engine = db.create_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)"))
    yield engine
    await engine.dispose()


async def write_pages(engine: Any) -> None:
    """One transaction that writes about ``PAGES`` pages."""
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO filler (body) VALUES (zeroblob(:size))"),
            [{"size": PAGE - 100}] * PAGES,
        )


def database_pages(engine: Any) -> int:
    return db.sqlite_path(str(engine.url)).stat().st_size // PAGE


async def test_every_connection_leaves_checkpoints_past_the_bound(engine: Any) -> None:
    async with engine.connect() as connection:
        bound = await connection.scalar(text("PRAGMA wal_autocheckpoint"))
    assert bound == checkpoints.AUTOCHECKPOINT_PAGES


async def test_a_big_commit_leaves_its_pages_to_the_checkpoint(engine: Any) -> None:
    before = database_pages(engine)
    await write_pages(engine)
    # The commit did not copy its pages into the database file: they wait in the log.
    assert database_pages(engine) - before < PAGES // 10
    in_log, copied = await checkpoints.checkpoint_file(db.sqlite_path(str(engine.url)))
    assert in_log >= PAGES and copied == in_log
    assert database_pages(engine) - before >= PAGES
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM filler")) == PAGES


async def test_the_checkpointer_checkpoints_until_stopped(engine: Any) -> None:
    await write_pages(engine)
    before = database_pages(engine)
    checkpointer = checkpoints.Checkpointer(db.sqlite_path(str(engine.url)), interval=0)
    checkpointer.start()
    try:
        await asyncio.wait_for(checkpointer.done.wait(), timeout=10)
        assert database_pages(engine) - before >= PAGES
    finally:
        await checkpointer.stop()
    await checkpointer.stop()  # stopping twice is harmless
