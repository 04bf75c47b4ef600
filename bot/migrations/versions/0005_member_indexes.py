"""member indexes for per-command reads

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 02:10:00

A command checks its member's cached streak against the logs they wrote since it
was computed; the (member, created_at) indexes answer that for one member without
reading anyone else's recent logs. /pending reads a member's outreach by state.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outreach_member_status", "outreach", ["member_id", "status"])
    op.create_index(
        "ix_outreach_member_created", "outreach", ["member_id", "created_at", "sent_on"]
    )
    op.create_index(
        "ix_interviews_member_created", "interviews", ["member_id", "created_at", "held_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_interviews_member_created", table_name="interviews")
    op.drop_index("ix_outreach_member_created", table_name="outreach")
    op.drop_index("ix_outreach_member_status", table_name="outreach")
