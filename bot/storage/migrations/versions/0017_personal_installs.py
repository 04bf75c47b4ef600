"""personal installs: a member's own workspace, server memberships joined to it; outreach notes

Revision ID: 0017_personal_installs
Revises: 0016_wins_practice
Create Date: 2026-12-01 17:00:00

A Discord member who installs peerpath to their own account logs into a personal
workspace (``workspaces.personal``) keyed by their user id. Their membership of a server
with peerpath is then a row pointing at that member (``members.home_id``): commands there
act as the personal member, so boards count what they log anywhere.

``outreach.notes``: private notes on a request (Slack's "Log as outreach" puts the
message's link there).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_personal_installs"
down_revision = "0016_wins_practice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (constant defaults, nullable columns): a batch copy of ``members`` would drop
    # the old table and cascade to every member's rows.
    op.add_column(
        "workspaces", sa.Column("personal", sa.Boolean(), nullable=False, server_default="0")
    )
    # A plain column, no foreign key: SQLite adds a reference only by copying the table.
    # ``members.forget`` deletes the rows joined to a member with it.
    op.add_column("members", sa.Column("home_id", sa.Integer(), nullable=True))
    op.create_index("ix_members_home_id", "members", ["home_id"])
    op.add_column("outreach", sa.Column("notes", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("outreach", "notes")
    op.drop_index("ix_members_home_id", table_name="members")
    op.drop_column("members", "home_id")
    op.drop_column("workspaces", "personal")
