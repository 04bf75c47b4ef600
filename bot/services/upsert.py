"""Dialect-aware INSERT … ON CONFLICT, for the two databases peerpath runs on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, model: Any) -> Any:
    """An INSERT for ``model`` that supports ``on_conflict_do_…`` on SQLite and PostgreSQL."""
    if session.bind.dialect.name == "postgresql":
        return pg_insert(model)
    return sqlite_insert(model)
