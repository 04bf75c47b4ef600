"""peers: partner rounds, their matches, weekly plans; the settings that turn them on

Revision ID: 0018_partners
Revises: 0017_personal_installs
Create Date: 2026-12-01 17:00:00

A group's partner rounds are off until ``/group-setup partners=weekly``; members opt in
with ``/partners on`` and get plan prompts unless ``/settings plans=off``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0018_partners"
down_revision = "0017_personal_installs"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    # Columns are added in place (never in batch mode: on SQLite that copies a table and
    # drops the original, and dropping ``members`` would cascade to everything they own).
    op.add_column(
        "groups", sa.Column("partners", sa.String(length=16), nullable=False, server_default="off")
    )
    op.add_column(
        "groups", sa.Column("partner_size", sa.Integer(), nullable=False, server_default="2")
    )
    op.add_column(
        "members",
        sa.Column("partners_on", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "members", sa.Column("plans_on", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    utc = bot.models.UTCDateTime(timezone=True)
    op.create_table(
        "partner_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("ends_week", sa.Date(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("started_at", utc, nullable=False),
        sa.Column("midway_at", utc, nullable=False),
        sa.Column("ends_at", utc, nullable=False),
        _fk("partner_rounds", "group_id", "groups"),
        _fk("partner_rounds", "workspace_id", "workspaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_rounds")),
        sa.UniqueConstraint("group_id", "week", name=op.f("uq_partner_rounds_group_id")),
    )
    op.create_table(
        "partner_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.Integer(), nullable=False),
        sa.Column("checkin", sa.String(length=8), nullable=True),
        sa.Column("answered_at", utc, nullable=True),
        sa.Column("left_at", utc, nullable=True),
        _fk("partner_matches", "member_id", "members"),
        _fk("partner_matches", "round_id", "partner_rounds"),
        _fk("partner_matches", "workspace_id", "workspaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_matches")),
        sa.UniqueConstraint("round_id", "member_id", name=op.f("uq_partner_matches_round_id")),
    )
    op.create_index("ix_partner_matches_member_id", "partner_matches", ["member_id"])
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("kept", sa.String(length=8), nullable=True),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        _fk("plans", "member_id", "members"),
        _fk("plans", "workspace_id", "workspaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("member_id", "week", name=op.f("uq_plans_member_id")),
    )


def downgrade() -> None:
    op.drop_table("plans")
    op.drop_index("ix_partner_matches_member_id", table_name="partner_matches")
    op.drop_table("partner_matches")
    op.drop_table("partner_rounds")
    op.drop_column("members", "plans_on")
    op.drop_column("members", "partners_on")
    op.drop_column("groups", "partner_size")
    op.drop_column("groups", "partners")
