"""Bulk reads that skip the ORM's row loading.

Boards and digests read thousands of plain rows (ids, dates, counts); running
those selects on the session's connection as Core statements keeps the same
transaction but avoids per-row ORM bookkeeping, which dominated their cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable


async def read(session: AsyncSession, statement: Executable) -> Sequence[Row[Any]]:
    """All rows of ``statement``, run in the session's transaction."""
    connection = await session.connection()
    return (await connection.execute(statement)).all()
