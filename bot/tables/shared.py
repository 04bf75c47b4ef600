"""What members share with their groups: wins, and requests to rehearse a conversation."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.tables.base import Base, UTCDateTime


class WinKind(StrEnum):
    INTERVIEW = "interview"  # an informational interview held (``subject_id``: the interview)
    SCHEDULED = "scheduled"  # one agreed and scheduled (``subject_id``: the outreach request)


class Win(Base):
    """A step worth celebrating, offered to its member to share with their group(s).

    One row per thing that happened (unique per member, kind and subject), so logging
    or scheduling again offers the same win and a second press of **Share** finds it
    shared. It holds no contact, company, role or notes: only what the post may say —
    the kind, how many referrals came with it, and the member's own line.
    """

    __tablename__ = "wins"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "subject_id"),
        Index("ix_wins_member_shared", "member_id", "shared_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    referrals: Mapped[int] = mapped_column(Integer, default=0)
    line: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PracticeRequest(Base):
    """A member's wish to rehearse a conversation with someone of their group, open from
    ``created_at`` until ``lapses_at`` (the end of their own week, ``bot/dates.py``).

    ``matched_with`` is the claim: it is set, by a conditional update, on the request
    that gets paired, so two requests made at once on two replicas cannot both take it.
    """

    __tablename__ = "practice_requests"
    __table_args__ = (
        UniqueConstraint("member_id", "group_id", "week_start"),
        Index("ix_practice_requests_group_open", "group_id", "matched_with", "lapses_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)  # the Monday of the member's own week
    field: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lapses_at: Mapped[datetime] = mapped_column(UTCDateTime)
    matched_with: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PracticePair(Base):
    """Two requests paired for a 20–30 minute practice conversation. The one who asked
    first plays the job seeker (``seeker_id``), the other the contact. Each request is in
    at most one pair (unique), whatever the replicas do."""

    __tablename__ = "practice_pairs"
    __table_args__ = (UniqueConstraint("first_request_id"), UniqueConstraint("second_request_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    first_request_id: Mapped[int] = mapped_column(
        ForeignKey("practice_requests.id", ondelete="CASCADE")
    )
    second_request_id: Mapped[int] = mapped_column(
        ForeignKey("practice_requests.id", ondelete="CASCADE")
    )
    seeker_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seeker_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    contact_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
