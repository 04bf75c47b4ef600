"""digest posts keyed by the week they report on

Revision ID: 0012_digest_weeks
Revises: 0011_nudges_in_doubt
Create Date: 2026-12-03 09:00:00

A group's digest was keyed by the day it was posted, so changing the digest day or
hour planned a second post for a week already posted. It is now keyed by the week it
reports on (the group's last completed week; ``about_day`` holds that week's Monday,
where it held the Monday of the week of posting). Rows already planned or sent are
rewritten so the week they covered is never posted again; two rows of one week (the
old bug) keep the second's old key, which no new row can take.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0012_digest_weeks"
down_revision = "0011_nudges_in_doubt"
branch_labels = None
depends_on = None

_NUDGES = sa.table(
    "nudges",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("group_id", sa.Integer()),
    sa.column("about_day", sa.Date()),
    sa.column("key", sa.String()),
)


def _rewrite(shift: timedelta, key: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_NUDGES.c.id, _NUDGES.c.group_id, _NUDGES.c.about_day)
        .where(_NUDGES.c.kind == "digest", _NUDGES.c.about_day.is_not(None))
        .order_by(_NUDGES.c.id)
    ).all()
    taken: set[str] = set()
    changes = []
    for nudge_id, group_id, about_day in rows:
        week = about_day + shift
        new_key = key.format(group=group_id, day=week.isoformat())
        if new_key in taken:
            continue
        taken.add(new_key)
        changes.append({"row": nudge_id, "week": week, "new_key": new_key})
    if changes:
        bind.execute(
            sa.update(_NUDGES)
            .where(_NUDGES.c.id == sa.bindparam("row"))
            .values(about_day=sa.bindparam("week"), key=sa.bindparam("new_key")),
            changes,
        )


def upgrade() -> None:
    _rewrite(-timedelta(days=7), "g{group}:digest:{group}:{day}")


def downgrade() -> None:
    _rewrite(timedelta(days=7), "g{group}:digest:0:{day}")
