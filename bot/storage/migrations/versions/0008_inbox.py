"""inbox: answers owed to acknowledged requests, handed from one process to the next

Revision ID: 0008_inbox
Revises: 0007_links
Create Date: 2026-11-23 09:00:00

A process stopped (SIGTERM) before it had answered every request the platform
already had a 200 for leaves those answers here; the next start delivers them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0008_inbox"
down_revision = "0007_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("job", sa.Text(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
    )
    op.create_index(op.f("ix_inbox_platform"), "inbox", ["platform"])


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_platform"), table_name="inbox")
    op.drop_table("inbox")
