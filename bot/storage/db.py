"""Engine, sessions and migrations.

SQLite is the embedded default (WAL, a busy timeout and foreign keys switched
on for every connection, one connection per process, checkpoints in the
background); ``DATABASE_URL=postgresql+asyncpg://…`` moves the same
schema to PostgreSQL, where several replicas may share it. Migrations are
Alembic's and run on every start.

Statement parameters are never put into error messages or logs
(``hide_parameters``): they hold notes and contact names.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.storage import checkpoints, sqlite_adapter
from bot.storage.file_watch import FileWatch

if TYPE_CHECKING:
    from bot.config import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def normalize_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://``, ``sqlite:///``) and pick the async driver."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def is_sqlite_url(url: str) -> bool:
    return make_url(normalize_url(url)).drivername.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(normalize_url(url))
    if not is_sqlite_url(url) or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = normalize_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite_url(url):
        kwargs.setdefault("module", sqlite_adapter.dbapi())
        if path is not None:
            # One connection, taken in turn: SQLite has one writer and every unit of work
            # begins as one (``_begin_immediate``), so more connections only waited on
            # SQLite's lock, which polls for its turn; under a burst that left the lock
            # idle between turns and let an unlucky waiter time out ("database is
            # locked"). The pool's queue serves waiters in order, without polling.
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
            kwargs.setdefault("pool_timeout", 60)
    engine = create_async_engine(url, hide_parameters=True, **kwargs)
    if is_sqlite(engine):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    if path is not None:  # after the pragmas, which write the new file's header
        watch = FileWatch(path)
        event.listen(engine.sync_engine, "connect", watch.connected)
        event.listen(engine.sync_engine, "checkout", watch.checked_out)
    return engine


def engine_for(settings: Settings) -> AsyncEngine:
    """The engine the settings describe: on PostgreSQL with its pool sizes and schema."""
    if is_sqlite_url(settings.database_url):
        return create_engine(settings.database_url)
    options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        # A connection broken by a database restart is noticed before use, not by a command.
        "pool_pre_ping": True,
    }
    if settings.db_schema:
        options["connect_args"] = {"server_settings": {"search_path": settings.db_schema}}
    return create_engine(settings.database_url, **options)


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock when a transaction starts. A transaction that began as a
    reader and then writes after another writer committed fails at once with "database
    is locked" (the busy timeout cannot help it); one that starts as a writer waits its
    turn instead. Units of work are short, so serializing them costs little. The BEGIN
    is sent with the transaction's first statement (``bot.sqlite_adapter``)."""
    connection.connection.dbapi_connection.begin_with_next_statement("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun by ``_begin_immediate``, not implicitly by the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints run in the background (``bot.checkpoints``); commits only past a bound.
    cursor.execute(f"PRAGMA wal_autocheckpoint={checkpoints.AUTOCHECKPOINT_PAGES}")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Any constant shared by every peerpath process: the key of the migrations' advisory lock.
MIGRATION_LOCK = 0x70656572  # "peer"


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` over the engine's own connection.

    Replicas starting together would otherwise race to create the same tables; on
    PostgreSQL each takes a transaction-level advisory lock first, so one migrates
    and the others then find the schema current. (SQLite serves one process.)
    """

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        await connection.run_sync(run)


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


def head_revision() -> str | None:
    """The newest migration this code ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows per table of the schema as it is in the database (Alembic's own included)."""

    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        counts = {}
        for name in sorted(names):
            quoted = connection.dialect.identifier_preparer.quote(name)
            counts[name] = await connection.scalar(text(f"SELECT count(*) FROM {quoted}"))
        return counts


async def ping(engine: AsyncEngine) -> None:
    """Raises unless the database answers a trivial query."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database with its online backup API: a consistent snapshot,
    WAL contents included, taken a few pages at a time so writers are not held up."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst, pages=256)
