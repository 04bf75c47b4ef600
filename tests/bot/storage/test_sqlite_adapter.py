"""The SQLite adapter: one crossing to the database thread per statement, stock behaviour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.storage import db

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)


@pytest.fixture
async def engine(tmp_path: Path) -> Any:
    engine = db.create_engine(f"sqlite:///{tmp_path / 'adapter.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def test_a_statement_crosses_to_the_database_thread_once(engine: Any) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 0"))  # the transaction has begun
        raw = (await connection.get_raw_connection()).driver_connection
        crossings = 0
        original = raw._execute

        async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal crossings
            crossings += 1
            return await original(fn, *args, **kwargs)

        raw._execute = counted
        try:
            rows = (await connection.execute(text("SELECT 1 UNION ALL SELECT 2"))).all()
        finally:
            raw._execute = original
    assert [tuple(r) for r in rows] == [(1,), (2,)]
    assert crossings == 1


async def test_a_transaction_crosses_once_per_statement_and_once_to_commit(engine: Any) -> None:
    """BEGIN travels with the first statement; the pool's rollback on return, with no
    transaction open, does not cross at all."""
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
    calls: list[str] = []
    original = raw._execute

    async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", "?"))
        return await original(fn, *args, **kwargs)

    raw._execute = counted
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(things).values(name="x"))
            await connection.execute(select(things.c.id))
        async with engine.begin() as connection:
            pass  # nothing ran: nothing to begin, commit or roll back
    finally:
        raw._execute = original
    assert calls == ["_run", "_run", "commit"]
    async with engine.connect() as connection:
        assert (await connection.execute(select(things.c.name))).scalars().all() == ["x"]


async def test_rows_counts_ids_and_errors_behave_as_the_stock_driver(engine: Any) -> None:
    async with engine.begin() as connection:
        first = await connection.execute(insert(things).values(name="a"))
        assert first.inserted_primary_key == (1,)
        many = await connection.execute(insert(things), [{"name": "b"}, {"name": "c"}])
        assert many.rowcount == 2
        changed = await connection.execute(
            update(things).where(things.c.name.in_(["a", "b"])).values(name=things.c.name + "!")
        )
        assert changed.rowcount == 2
        names = (await connection.execute(select(things.c.name).order_by(things.c.id))).scalars()
        assert list(names) == ["a!", "b!", "c"]
        empty = await connection.execute(select(things.c.id).where(things.c.name == "zzz"))
        assert empty.first() is None
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(insert(things).values(name="c"))
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM things"))).scalar()
    assert count == 3  # the failed insert left nothing behind
