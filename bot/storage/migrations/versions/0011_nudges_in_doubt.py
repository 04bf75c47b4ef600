"""nudges in doubt: a delivery whose outcome is unknown is checked before it is sent again

Revision ID: 0011_nudges_in_doubt
Revises: 0010_due_days
Create Date: 2026-12-03 09:00:00

A platform call that timed out (or whose connection was cut after the request went out)
may have delivered the message. Such nudges go back to ``pending`` with ``in_doubt``
set, and the next attempt asks the platform (Slack: message metadata in the DM's
history; Discord: the nonce) before sending again. An expired lease means the same, and
needs no column: the claim itself shows it.

Closed DMs became a state with a time (``dm_closed_at``, cleared once the member is told
or turns reminders on), so the flag that said whether they had been told goes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_nudges_in_doubt"
down_revision = "0010_due_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nudges") as batch:
        batch.add_column(
            sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # In place (SQLite ≥ 3.35 drops a column itself): a batch copy of ``members`` would
    # drop the table, and with foreign keys on, every row hanging off a member with it.
    op.drop_column("members", "dm_closed_told")


def downgrade() -> None:
    op.add_column(
        "members",
        sa.Column("dm_closed_told", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    with op.batch_alter_table("nudges") as batch:
        batch.drop_column("in_doubt")
