"""Models and migrations agree, and 0002 goes down and up again cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot import db
from bot.models import Base

GOAL_TABLES = {"member_goals", "pauses", "streak_cache"}


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
        assert not GOAL_TABLES & set(tables)
        await db.upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert diff == []
        assert set(tables) >= GOAL_TABLES
    finally:
        await engine.dispose()
