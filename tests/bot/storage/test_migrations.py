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


async def test_due_days_are_filled_in_from_what_was_there(tmp_path: Path) -> None:
    """0010: a thank-you's due day is its interview's day + 7, and a note already marked
    gets the day of its moment on its member's calendar (here Kolkata, UTC+05:30)."""
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    try:
        await db.upgrade(engine, "0009_command_keys")
        async with engine.begin() as connection:
            for statement in (
                "INSERT INTO workspaces (id, platform, external_id, name, created_at) "
                "VALUES (1, 'console', 'w', 'w', '2026-11-01 00:00:00')",
                "INSERT INTO members (id, workspace_id, user_id, display_name, tz, reminder_hour,"
                " quiet_start, quiet_end, reminders_on, leaderboard_on, dm_closed_told, "
                "created_at) VALUES (1, 1, 'ann', 'ann', 'Asia/Kolkata', 9, 21, 8, 1, 1, 0, "
                "'2026-11-01 00:00:00')",
                "INSERT INTO contacts (id, workspace_id, member_id, name, name_key, how_known, "
                "created_at) VALUES (1, 1, 1, 'Jane', 'jane', 'other', '2026-11-01 00:00:00')",
                # Marked at 20:00 UTC on the 24th: the 25th already, in Kolkata.
                "INSERT INTO interviews (id, workspace_id, member_id, contact_id, held_on, "
                "held_at, referral_count, thank_you_due, thanked_at, created_at) VALUES "
                "(1, 1, 1, 1, '2026-11-18', '2026-11-18 06:30:00', 0, "
                "'2026-11-25 06:30:00', '2026-11-24 20:00:00', '2026-11-18 06:30:00'), "
                "(2, 1, 1, 1, '2026-11-19', '2026-11-19 06:30:00', 0, "
                "'2026-11-26 06:30:00', NULL, '2026-11-19 06:30:00')",
            ):
                await connection.exec_driver_sql(statement)
        await db.upgrade(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.exec_driver_sql(
                    "SELECT thank_you_due_on, thanked_on FROM interviews ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [("2026-11-25", "2026-11-25"), ("2026-11-26", None)]
        async with engine.begin() as connection:
            await connection.run_sync(downgrade, "0009_command_keys")
            back = (
                await connection.exec_driver_sql("SELECT thank_you_due FROM interviews ORDER BY id")
            ).all()
        assert [r[0][:10] for r in back] == ["2026-11-25", "2026-11-26"]
    finally:
        await engine.dispose()
