"""Bulk reads that skip the ORM's row loading.

Boards and digests read thousands of plain rows (ids, dates, counts); running
those selects on the session's connection as Core statements keeps the same
transaction but avoids per-row ORM bookkeeping, which dominated their cost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Select, bindparam
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable


async def read(
    session: AsyncSession, statement: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[Row[Any]]:
    """All rows of ``statement``, run in the session's transaction."""
    connection = await session.connection()
    return (await connection.execute(statement, params)).all()


class ForMembers:
    """A read of some members' rows, built once for a list of ids.

    Commands read one member's rows on every call; building the statement and
    its cache key each time cost more than running it. ``build`` receives what
    goes inside ``member_id IN (…)``: an expanding parameter for listed ids, or one
    parameter for a single id (both built here, once), or a group's member subquery
    (built per call: boards are rare).
    Other values are named bound parameters, given to :meth:`run`.
    """

    def __init__(self, build: Callable[[Any], Executable]) -> None:
        self.build = build
        self.listed = build(bindparam("ids", expanding=True))
        # One member (a command's usual case): ``IN (?)`` with a plain parameter, which
        # skips re-rendering the SQL for the list on every call.
        self.single = build([bindparam("id")])

    async def run(
        self, session: AsyncSession, members: Select | Sequence[int], **params: Any
    ) -> Sequence[Row[Any]]:
        if isinstance(members, Select):
            return await read(session, self.build(members), params)
        if len(members) == 1:
            return await read(session, self.single, {"id": members[0], **params})
        return await read(session, self.listed, {"ids": list(members), **params})
