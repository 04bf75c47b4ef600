"""facilitator page: members' consent to show their history; status in the outreach index

Revision ID: 0014_coach
Revises: 0013_targets
Create Date: 2026-12-01 15:00:00

``/settings coach=on`` shows a member's per-week history and thank-you timeliness on
the facilitator's page; off (the default) keeps them to the leaderboard's figures.

The page's funnel counts a range's outreach by status; with status in the (member, day)
index that count reads the index alone, as the weekly counts already do (54 ms → a few
ms for a 500-member group's 8 weeks, bench/coach.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_coach"
down_revision = "0013_targets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default ('0' reads as false on SQLite and PostgreSQL alike) lets SQLite
    # add the column in place; an expression would make the batch copy the table, and
    # dropping the old one would cascade to every member's rows.
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("coach_on", sa.Boolean(), nullable=False, server_default="0"))
    op.create_index(
        "ix_outreach_member_sent_on_status", "outreach", ["member_id", "sent_on", "status"]
    )
    op.drop_index("ix_outreach_member_sent_on", table_name="outreach")


def downgrade() -> None:
    op.create_index("ix_outreach_member_sent_on", "outreach", ["member_id", "sent_on"])
    op.drop_index("ix_outreach_member_sent_on_status", table_name="outreach")
    # In place too (SQLite 3.35+ drops a column itself): a batch would copy the table.
    op.drop_column("members", "coach_on")
