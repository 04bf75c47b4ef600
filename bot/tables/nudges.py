"""Reminders and what is derived to send them: the nudge outbox, planned days, the streak cache."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.tables.base import Base, UTCDateTime


class NudgeStatus(StrEnum):
    PENDING = "pending"  # waiting for next_at
    SENDING = "sending"  # claimed by a sweep; in doubt if its lease ran out
    SENT = "sent"
    DROPPED = "dropped"  # no longer made sense when it came due (e.g. already thanked)
    FAILED = "failed"  # permanently undeliverable (e.g. DMs closed)


class Nudge(Base):
    """One reminder or post, planned ahead; its unique ``key`` means it can never be sent twice.

    The key is (member or group, kind, subject, due date). Sweeps claim rows whose
    ``next_at`` has come, send them, and mark them; a crash leaves the row claimed
    until its lease runs out, and then another sweep takes it over.
    """

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_nudges_status_next", "status", "next_at"),
        Index("ix_nudges_member_status", "member_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), nullable=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer, default=0)
    # The calendar day a nudge is about (an interview's scheduled day), when that matters.
    about_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    key: Mapped[str] = mapped_column(String(160))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=NudgeStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # The last attempt's outcome is unknown (a timeout): ask the platform before resending.
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlannedDay(Base):
    """A UTC day whose recurring nudges (goal check-ins, digests) were planned: once per day,
    whichever process gets there first."""

    __tablename__ = "planned_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StreakCache(Base):
    """A member's streak through a completed week, derived from the logs and rebuilt at will.

    Every write that could change it (a log dated in a week it covers, a goal or pause
    change) deletes the row in the same transaction (``bot/services/stale_streaks.py``),
    so a row that exists is current; readers extend it week by week or rebuild it from
    the logs (``bot/services/streak_cache.py``). Deleting every row loses nothing.
    """

    __tablename__ = "streak_cache"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    through_week: Mapped[date] = mapped_column(Date)
    run: Mapped[int] = mapped_column(Integer)
    longest: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
