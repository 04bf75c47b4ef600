"""``peerpath db check`` and ``peerpath db backup``, on real databases."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import maintain, parser
from bot.clock import SimulatedClock
from bot.config import Settings
from bot.storage import db
from tests.support import NO_POSTGRES, POSTGRES_URL, Person, core, open_app


def database_command(*words: str):
    return parser().parse_args(["db", *words])


async def test_check_counts_rows_and_says_migrations_are_current(
    database_url: str, clock: SimulatedClock, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    async with open_app(database_url, clock, tmp_path) as app:
        await Person(app, "ann").say('/outreach "Jane Doe"')
        settings = Settings(DATABASE_URL=database_url)
        if not database_url.startswith("sqlite"):  # the test's own schema
            async with app.engine.connect() as connection:
                settings.db_schema = await connection.scalar(text("SELECT current_schema()"))
        assert await maintain(database_command("check"), settings) == 0
    out = capsys.readouterr().out
    assert f"database at revision {db.head_revision()}" in out
    assert "migrations current" in out
    counts = {line.split()[0]: int(line.split()[1]) for line in out.splitlines() if "rows" in line}
    assert counts["outreach"] == 1 and counts["contacts"] == 1 and counts["members"] == 1


async def test_check_fails_on_a_database_behind_the_code(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    engine = db.create_engine(url)
    await db.upgrade(engine, "0002")
    await engine.dispose()
    assert await maintain(database_command("check"), Settings(DATABASE_URL=url)) == 1
    out = capsys.readouterr().out
    assert "database at revision 0002" in out
    assert "run `peerpath db upgrade`" in out


async def test_backup_copies_a_database_in_use(
    clock: SimulatedClock, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    source = tmp_path / "peerpath.db"
    copy = tmp_path / "backups" / "copy.db"
    url = f"sqlite+aiosqlite:///{source}"
    settings = Settings(DATABASE_URL=url)
    async with core(url, clock, tmp_path) as app:  # open, its latest writes still in the WAL
        for n in range(3):
            await Person(app, "ann").say(f'/outreach "Contact {n}"')
        assert await maintain(database_command("backup", str(copy)), settings) == 0
        assert (tmp_path / "peerpath.db-wal").stat().st_size > 0
        # A second backup never overwrites the first.
        assert await maintain(database_command("backup", str(copy)), settings) == 2
    captured = capsys.readouterr()
    assert f"backed up {source} to {copy}" in captured.out
    assert "already exists" in captured.err
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM outreach").fetchone() == (3,)


async def test_backup_explains_itself_without_a_path_or_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    settings = Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'missing.db'}")
    assert await maintain(database_command("backup"), settings) == 2
    assert await maintain(database_command("backup", str(tmp_path / "x.db")), settings) == 2
    err = capsys.readouterr().err
    assert "e.g. peerpath db backup backups/peerpath.db" in err
    assert "There is no database at" in err


@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
async def test_backup_on_postgresql_points_at_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    settings = Settings(DATABASE_URL=POSTGRES_URL)
    assert await maintain(database_command("backup", str(tmp_path / "x")), settings) == 2
    assert "pg_dump --format=custom" in capsys.readouterr().err
    assert not await asyncio.to_thread((tmp_path / "x").exists)
