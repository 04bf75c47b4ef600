"""plans: the words a shared plan was shared with, kept for its channel post

Revision ID: 0020_plan_shared_text
Revises: 0019_partner_first_team
Create Date: 2026-12-01 18:30:00

A plan reworded without sharing again keeps its channel post as shared, so the post
still waiting in the outbox has the shared words to carry.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_plan_shared_text"
down_revision = "0019_partner_first_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (never batch mode): see 0018_partners.
    op.add_column("plans", sa.Column("shared_text", sa.Text(), nullable=True))
    op.execute("UPDATE plans SET shared_text = text WHERE shared")


def downgrade() -> None:
    op.drop_column("plans", "shared_text")
