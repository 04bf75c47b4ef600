"""Migrations build the schema the models describe, from empty, on SQLite and PostgreSQL."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot import db
from bot.models import Base


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
