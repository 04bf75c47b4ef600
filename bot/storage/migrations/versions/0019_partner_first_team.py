"""partner history: the team a member was matched into, kept when they are moved

Revision ID: 0019_partner_first_team
Revises: 0018_partners
Create Date: 2026-12-01 18:10:00

A member whose partner leaves mid-round joins another pair; ``first_team`` keeps the
team they started in, so the next rounds still know whom they were with.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_partner_first_team"
down_revision = "0018_partners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (never batch mode): see 0018_partners.
    op.add_column("partner_matches", sa.Column("first_team", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("partner_matches", "first_team")
