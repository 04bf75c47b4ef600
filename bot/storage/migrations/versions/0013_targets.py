"""target employers, contact imports awaiting the go-ahead, contacts keyed by employer

Revision ID: 0013_targets
Revises: 0012_digest_weeks
Create Date: 2026-12-01 15:00:00

A target's advocacy counts the member's contacts at that employer, and an import tells
contacts already known from new ones, so contacts gain ``company_key`` (the comparable
form of their employer, ``bot.companies.company_key``), filled in here for every
existing contact, and an index by member and employer. A scheduled call may have a time
of day (``outreach.scheduled_time``), for its calendar entry. Members may turn off the
weekly top-target suggestion (``members.targets_nudge_on``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models
from bot.companies import company_key

revision = "0013_targets"
down_revision = "0012_digest_weeks"
branch_labels = None
depends_on = None

_CONTACTS = sa.table(
    "contacts",
    sa.column("id", sa.Integer()),
    sa.column("company", sa.String()),
    sa.column("company_key", sa.String()),
)


def upgrade() -> None:
    op.add_column("contacts", sa.Column("company_key", sa.String(length=200), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_CONTACTS.c.id, _CONTACTS.c.company).where(_CONTACTS.c.company.is_not(None))
    ).all()
    keys = [{"row_id": row.id, "key": company_key(row.company)} for row in rows]
    if keys:
        bind.execute(
            _CONTACTS.update()
            .where(_CONTACTS.c.id == sa.bindparam("row_id"))
            .values(company_key=sa.bindparam("key")),
            keys,
        )
    # Columns are added in place (never in batch mode: on SQLite that copies a table and
    # drops the original, and dropping ``members`` would cascade to everything they own).
    op.add_column(
        "members",
        sa.Column("targets_nudge_on", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("outreach", sa.Column("scheduled_time", sa.Time(), nullable=True))
    op.create_index("ix_contacts_member_company", "contacts", ["member_id", "company_key"])
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("company_key", sa.String(length=200), nullable=False),
        sa.Column("motivation", sa.Integer(), nullable=False),
        sa.Column("posting", sa.String(length=8), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_targets_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_targets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint("member_id", "company_key", name=op.f("uq_targets_member_id")),
    )
    op.create_table(
        "pending_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_pending_imports_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pending_imports_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_imports")),
    )
    op.create_index(
        op.f("ix_pending_imports_member_id"), "pending_imports", ["member_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_imports_member_id"), table_name="pending_imports")
    op.drop_table("pending_imports")
    op.drop_table("targets")
    op.drop_index("ix_contacts_member_company", table_name="contacts")
    # Not in batch mode: on SQLite that copies ``contacts`` and drops the original, and
    # dropping it would cascade to every outreach and interview. SQLite (3.35 on) drops a
    # column that no index uses in place.
    op.drop_column("contacts", "company_key")
    op.drop_column("outreach", "scheduled_time")
    op.drop_column("members", "targets_nudge_on")
