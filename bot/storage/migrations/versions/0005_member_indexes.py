"""streak caches dropped on write; logs by member and state or contact

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 02:10:00

A cached streak is now dropped by the write that changes it (a log dated in a
week it covers), so nothing reads logs by creation time any more: those indexes
go, and every log insert is cheaper. /pending reads a member's outreach by state, and
every log looks up the member's earlier logs with the same contact.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outreach_created", table_name="outreach")
    op.drop_index("ix_interviews_created", table_name="interviews")
    op.create_index("ix_outreach_member_status", "outreach", ["member_id", "status"])
    op.create_index("ix_outreach_member_contact", "outreach", ["member_id", "contact_id"])
    op.create_index("ix_interviews_member_contact", "interviews", ["member_id", "contact_id"])


def downgrade() -> None:
    op.drop_index("ix_interviews_member_contact", table_name="interviews")
    op.drop_index("ix_outreach_member_contact", table_name="outreach")
    op.drop_index("ix_outreach_member_status", table_name="outreach")
    op.create_index("ix_interviews_created", "interviews", ["created_at", "held_on", "member_id"])
    op.create_index("ix_outreach_created", "outreach", ["created_at", "sent_on", "member_id"])
