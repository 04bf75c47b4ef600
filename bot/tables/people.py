"""Who is in peerpath: workspaces, groups, members, their goals and paused weeks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot import defaults
from bot.tables.base import Base, UTCDateTime


class Workspace(Base):
    """A Slack team or Discord server — or, ``personal``, one member's own install of the
    app, keyed by their user id (``bot/services/personal.py``)."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    personal: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the app was removed from the workspace (Slack's ``app_uninstalled``); its data
    # is kept for ``PEERPATH_UNINSTALLED_RETENTION_DAYS`` so a re-install finds it, then
    # the sweep deletes it. Cleared by a re-install.
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Group(Base):
    """A channel used as an accountability group's home."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str] = mapped_column(String(64))
    digest_day: Mapped[int] = mapped_column(Integer, default=defaults.DIGEST_DAY)
    digest_hour: Mapped[int] = mapped_column(Integer, default=defaults.DIGEST_HOUR)
    outreach_goal: Mapped[int] = mapped_column(Integer, default=defaults.WEEKLY_OUTREACH)
    interview_goal: Mapped[int] = mapped_column(Integer, default=defaults.WEEKLY_INTERVIEWS)
    # Partner rounds (``/group-setup partners=weekly|fortnightly|off``) and their team size.
    partners: Mapped[str] = mapped_column(String(16), default="off", server_default="off")
    partner_size: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    # A server membership joined to the member's personal workspace: commands in this
    # server act as that member (``bot/services/personal.py``); this row holds nothing else.
    # No foreign key (SQLite could add one only by copying the table): ``members.forget``
    # deletes the rows joined to a member.
    home_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reminder_hour: Mapped[int] = mapped_column(Integer, default=defaults.REMINDER_HOUR)
    quiet_start: Mapped[int] = mapped_column(Integer, default=defaults.QUIET_START)
    quiet_end: Mapped[int] = mapped_column(Integer, default=defaults.QUIET_END)
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=True)
    leaderboard_on: Mapped[bool] = mapped_column(Boolean, default=True)
    # The weekly suggestion of the top target without open outreach (/settings targets=off).
    targets_nudge_on: Mapped[bool] = mapped_column(Boolean, default=True)
    # Shows their weekly history to the group's facilitator (``/settings coach=on``).
    coach_on: Mapped[bool] = mapped_column(Boolean, default=False)
    # Opted in to their groups' partner rounds (``/partners on``).
    partners_on: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The weekly "What's your plan?" and "Did you keep it?" DMs (``/settings plans=off``).
    plans_on: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Set when the platform refused a DM for good (closed DMs), cleared when the member is
    # told (their next private reply), turns reminders on, or a DM gets through; while set,
    # only a reminder due a week after it is tried.
    dm_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MemberGoal(Base):
    """A member's weekly targets from ``week_start`` (a Monday) on, until a later row.

    Goals are kept as history, never overwritten for past weeks, so raising a
    goal today cannot break a streak earned under the old one. ``personal`` rows
    come from /goal; the others copy a group's defaults and follow them.
    """

    __tablename__ = "member_goals"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    outreach: Mapped[int] = mapped_column(Integer)
    interviews: Mapped[int] = mapped_column(Integer)
    personal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Pause(Base):
    """A week (its Monday, on the member's calendar) the member is away: no streak change."""

    __tablename__ = "pauses"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
