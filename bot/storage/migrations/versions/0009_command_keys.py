"""command keys: a command stored once per member, text and window, on every database

Revision ID: 0009_command_keys
Revises: 0008_inbox
Create Date: 2026-11-23 09:10:00

Two identical commands from one member at the same moment were both stored on
PostgreSQL (SQLite's single writer had hidden it). The unit of work that stores
something now records its key as the member's latest, in the same transaction; the
primary key (one row per member) makes the second claim wait for the first and then
find it. A different command in between replaces the row, so asking the same thing
again later (after logging something else) is never taken for a repeat.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0009_command_keys"
down_revision = "0008_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "command_keys",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_command_keys_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_command_keys")),
    )


def downgrade() -> None:
    op.drop_table("command_keys")
