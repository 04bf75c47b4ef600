"""Alembic environment: runs on a connection handed over by ``bot.storage.db.upgrade``.

When run from the ``alembic`` command line instead, it opens its own async
engine from ``DATABASE_URL`` (the async template), so both paths share one file.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.models import Base

target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone() -> None:
    from bot.config import Settings
    from bot.storage.db import engine_for

    engine = engine_for(Settings())
    async with engine.begin() as connection:
        await connection.run_sync(run_with)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    asyncio.run(run_standalone())
