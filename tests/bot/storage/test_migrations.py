"""Migrations build the schema the models describe, from empty and after going down and up
again, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.models import Base
from bot.storage import db

LATER_TABLES = {"nudges", "member_goals", "pauses", "streak_cache", "planned_days"}


async def test_upgrade_from_empty_matches_the_models(app) -> None:
    async with app.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert diff == []
    assert set(Base.metadata.tables) <= tables
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert await db.current_revision(app.engine) == head


def downgrade(connection: Connection, revision: str) -> None:
    config = db.alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def test_models_match_migrations_after_down_and_up(tmp_path: Path) -> None:
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await db.upgrade(engine)
        async with engine.begin() as connection:
            await connection.run_sync(downgrade, "0001")
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert not LATER_TABLES & set(tables)
        await db.upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert diff == []
        assert set(tables) >= LATER_TABLES
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent_and_sqlite_pragmas_are_set(tmp_path: Path) -> None:
    engine = db.create_engine(f"sqlite:///{tmp_path / 'x.db'}")  # plain URL gets the async driver
    try:
        await db.upgrade(engine)
        await db.upgrade(engine)
        async with engine.connect() as connection:
            pragmas = {
                name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
    finally:
        await engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}


def test_urls_people_paste_get_the_async_driver() -> None:
    assert db.normalize_url("postgres://u@h/d") == "postgresql+asyncpg://u@h/d"
    assert db.normalize_url("sqlite:///./peerpath.db") == "sqlite+aiosqlite:///./peerpath.db"
