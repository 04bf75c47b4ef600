"""thank-you deadlines as days on the member's calendar; a log of logs for /undo

Revision ID: 0010_due_days
Revises: 0009_command_keys
Create Date: 2026-12-02 09:00:00

A thank-you was due at an instant (the interview's moment + 7 days), so whether a note
was on time, or overdue, depended on the hour it was marked and the zone it was read
in. It is now due on a day (the interview's day + 7) and on time through the end of that
day on the member's calendar; the day each note was marked is kept beside the instant.
Notes marked before this revision get the day of their instant in the member's zone
then in force (their own, else their first group's, else PEERPATH_DEFAULT_TZ).

``log_entries`` keeps what each log changed, so /undo takes back exactly that. Taking a
log back removes rows, so what refers to them is indexed by the referring column.
"""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0010_due_days"
down_revision = "0009_command_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_interviews_thanks_due", table_name="interviews")
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("thank_you_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("thanked_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    week_later = "date(held_on, '+7 days')" if bind.dialect.name == "sqlite" else "held_on + 7"
    op.execute(f"UPDATE interviews SET thank_you_due_on = {week_later}")
    _days_thanked(bind)
    with op.batch_alter_table("interviews") as batch:
        batch.alter_column("thank_you_due_on", existing_type=sa.Date(), nullable=False)
        batch.drop_column("thank_you_due")
    op.create_index(
        "ix_interviews_thanks_due", "interviews", ["thanked_at", "thank_you_due_on"], unique=False
    )
    op.create_table(
        "log_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("outreach_id", sa.Integer(), nullable=True),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_log_entries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_log_entries_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_entries")),
    )
    op.create_index(
        "ix_log_entries_member_created", "log_entries", ["member_id", "created_at"], unique=False
    )
    _indexes_for_removal()


def _indexes_for_removal() -> None:
    """/undo removes outreach, interviews and contacts: what refers to them (foreign keys
    checked on every removal) is found by index, not by reading a whole table."""
    op.drop_index("ix_outreach_member_contact", table_name="outreach")
    op.create_index("ix_outreach_contact_member", "outreach", ["contact_id", "member_id"])
    op.drop_index("ix_interviews_member_contact", table_name="interviews")
    op.create_index("ix_interviews_contact_member", "interviews", ["contact_id", "member_id"])
    op.create_index("ix_interviews_outreach", "interviews", ["outreach_id"])
    op.create_index("ix_contacts_referred_by", "contacts", ["referred_by_id"])


def _days_thanked(bind: sa.Connection) -> None:
    """Each note already marked gets the day of its instant on its member's calendar."""
    interviews = sa.table(
        "interviews",
        sa.column("id", sa.Integer()),
        sa.column("member_id", sa.Integer()),
        sa.column("thanked_at", bot.models.UTCDateTime()),
        sa.column("thanked_on", sa.Date()),
    )
    members = sa.table("members", sa.column("id", sa.Integer()), sa.column("tz", sa.String()))
    memberships = sa.table(
        "group_members",
        sa.column("group_id", sa.Integer()),
        sa.column("member_id", sa.Integer()),
        sa.column("joined_at", bot.models.UTCDateTime()),
        sa.column("active", sa.Boolean()),
    )
    groups = sa.table("groups", sa.column("id", sa.Integer()), sa.column("tz", sa.String()))
    first_group = (
        sa.select(groups.c.tz)
        .join(memberships, memberships.c.group_id == groups.c.id)
        .where(memberships.c.member_id == members.c.id, memberships.c.active.is_(True))
        .order_by(memberships.c.joined_at, groups.c.id)
        .limit(1)
        .correlate(members)
        .scalar_subquery()
    )
    default = os.environ.get("PEERPATH_DEFAULT_TZ") or "UTC"
    rows = bind.execute(
        sa.select(
            interviews.c.id, interviews.c.thanked_at, sa.func.coalesce(members.c.tz, first_group)
        )
        .join(members, members.c.id == interviews.c.member_id)
        .where(interviews.c.thanked_at.is_not(None))
    ).all()
    zones: dict[str, ZoneInfo] = {}
    days = []
    for interview_id, thanked_at, tz in rows:
        name = tz or default
        zone = zones.get(name)
        if zone is None:
            zone = zones[name] = ZoneInfo(name)
        days.append({"row": interview_id, "day": thanked_at.astimezone(zone).date()})
    if days:
        bind.execute(
            sa.update(interviews)
            .where(interviews.c.id == sa.bindparam("row"))
            .values(thanked_on=sa.bindparam("day")),
            days,
        )


def downgrade() -> None:
    op.drop_index("ix_contacts_referred_by", table_name="contacts")
    op.drop_index("ix_interviews_outreach", table_name="interviews")
    op.drop_index("ix_interviews_contact_member", table_name="interviews")
    op.create_index("ix_interviews_member_contact", "interviews", ["member_id", "contact_id"])
    op.drop_index("ix_outreach_contact_member", table_name="outreach")
    op.create_index("ix_outreach_member_contact", "outreach", ["member_id", "contact_id"])
    op.drop_index("ix_log_entries_member_created", table_name="log_entries")
    op.drop_table("log_entries")
    op.drop_index("ix_interviews_thanks_due", table_name="interviews")
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(
            sa.Column("thank_you_due", bot.models.UTCDateTime(timezone=True), nullable=True)
        )
    week_later = (
        "datetime(held_at, '+7 days')"
        if op.get_bind().dialect.name == "sqlite"
        else "held_at + interval '7 days'"
    )
    op.execute(f"UPDATE interviews SET thank_you_due = {week_later}")
    with op.batch_alter_table("interviews") as batch:
        batch.alter_column(
            "thank_you_due", existing_type=bot.models.UTCDateTime(timezone=True), nullable=False
        )
        batch.drop_column("thanked_on")
        batch.drop_column("thank_you_due_on")
    op.create_index(
        "ix_interviews_thanks_due", "interviews", ["thanked_at", "thank_you_due"], unique=False
    )
