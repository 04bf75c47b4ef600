"""Answers owed to acknowledged requests, kept for the next start.

When a platform has had its acknowledgement (Slack's 200) it will not send the
request again, so a process that must stop before answering hands the answer
over here, as the adapter's own JSON; the next process started on that platform
takes the rows and finishes them. Taking deletes, so each row goes to one
process (on PostgreSQL several replicas starting at once skip each other's).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import InboxEntry

TAKEN_AT_ONCE = 500


async def put(
    session: AsyncSession, platform: str, jobs: list[dict[str, Any]], now: datetime
) -> None:
    session.add_all(
        InboxEntry(platform=platform, job=json.dumps(job), created_at=now) for job in jobs
    )


async def take(session: AsyncSession, platform: str) -> list[dict[str, Any]]:
    """Up to :data:`TAKEN_AT_ONCE` jobs left for ``platform``, oldest first; gone once the
    transaction commits."""
    oldest = (
        select(InboxEntry.id)
        .where(InboxEntry.platform == platform)
        .order_by(InboxEntry.id)
        .limit(TAKEN_AT_ONCE)
        .with_for_update(skip_locked=True)
    )
    rows = await session.scalars(
        delete(InboxEntry)
        .where(InboxEntry.id.in_(oldest))
        .returning(InboxEntry.job)
        .execution_options(synchronize_session=False)
    )
    return [json.loads(job) for job in rows]
