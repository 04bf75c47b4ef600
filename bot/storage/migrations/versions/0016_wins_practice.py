"""wins members share with their group; practice conversation requests and pairs

Revision ID: 0016_wins_practice
Revises: 0015_slack_installations
Create Date: 2026-12-01 17:00:00

``wins`` holds a step worth celebrating (an interview held, one scheduled, with the
referrals it brought) and whether and when its member shared it — never a contact,
company or note. ``practice_requests`` and ``practice_pairs`` hold the rehearsals members
ask for; a request is claimed by a conditional update of ``matched_with`` and each
request sits in at most one pair (unique), so replicas never pair one twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0016_wins_practice"
down_revision = "0015_slack_installations"
branch_labels = None
depends_on = None


def _owner(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    moment = bot.models.UTCDateTime(timezone=True)
    op.create_table(
        "wins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("referrals", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(length=300), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("shared_at", moment, nullable=True),
        _owner("wins", "member_id", "members"),
        _owner("wins", "workspace_id", "workspaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wins")),
        sa.UniqueConstraint("member_id", "kind", "subject_id", name=op.f("uq_wins_member_id")),
    )
    op.create_index("ix_wins_member_shared", "wins", ["member_id", "shared_at"])
    op.create_table(
        "practice_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("lapses_at", moment, nullable=False),
        sa.Column("matched_with", sa.Integer(), nullable=True),
        _owner("practice_requests", "group_id", "groups"),
        _owner("practice_requests", "member_id", "members"),
        _owner("practice_requests", "workspace_id", "workspaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_requests")),
        sa.UniqueConstraint(
            "member_id", "group_id", "week_start", name=op.f("uq_practice_requests_member_id")
        ),
    )
    op.create_index(
        "ix_practice_requests_group_open",
        "practice_requests",
        ["group_id", "matched_with", "lapses_at"],
    )
    op.create_table(
        "practice_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("first_request_id", sa.Integer(), nullable=False),
        sa.Column("second_request_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("seeker_done_at", moment, nullable=True),
        sa.Column("contact_done_at", moment, nullable=True),
        _owner("practice_pairs", "contact_id", "members"),
        _owner("practice_pairs", "first_request_id", "practice_requests"),
        _owner("practice_pairs", "group_id", "groups"),
        _owner("practice_pairs", "second_request_id", "practice_requests"),
        _owner("practice_pairs", "seeker_id", "members"),
        _owner("practice_pairs", "workspace_id", "workspaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_pairs")),
        sa.UniqueConstraint("first_request_id", name=op.f("uq_practice_pairs_first_request_id")),
        sa.UniqueConstraint("second_request_id", name=op.f("uq_practice_pairs_second_request_id")),
    )
    op.create_index(op.f("ix_practice_pairs_seeker_id"), "practice_pairs", ["seeker_id"])
    op.create_index(op.f("ix_practice_pairs_contact_id"), "practice_pairs", ["contact_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_practice_pairs_contact_id"), table_name="practice_pairs")
    op.drop_index(op.f("ix_practice_pairs_seeker_id"), table_name="practice_pairs")
    op.drop_table("practice_pairs")
    op.drop_index("ix_practice_requests_group_open", table_name="practice_requests")
    op.drop_table("practice_requests")
    op.drop_index("ix_wins_member_shared", table_name="wins")
    op.drop_table("wins")
