"""What members log: contacts, outreach, interviews, and the journal of each log
(for /undo and /history)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from bot.companies import company_key
from bot.tables.base import Base, UTCDateTime


class HowKnown(StrEnum):
    FRIEND = "friend"
    FAMILY = "family"
    ALUMNI = "alumni"
    COLLEAGUE = "colleague"
    REFERRAL = "referral"
    COLD = "cold"
    OTHER = "other"


class Via(StrEnum):
    EMAIL = "email"
    LINKEDIN = "linkedin"
    PHONE = "phone"
    IN_PERSON = "in-person"
    OTHER = "other"


class MeetingVia(StrEnum):
    VIDEO = "video"
    PHONE = "phone"
    IN_PERSON = "in-person"
    OTHER = "other"


class OutreachStatus(StrEnum):
    SENT = "sent"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    NO_RESPONSE = "no-response"
    INTERVIEWED = "interviewed"


class Contact(Base):
    """A person the member wants to learn from; private to that member."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_member_name", "member_id", "name_key"),
        # Who a contact introduced: what removing a contact has to unlink (/undo).
        Index("ix_contacts_referred_by", "referred_by_id"),
        # A member's contacts at one employer (a target's advocacy, an import's "known").
        Index("ix_contacts_member_company", "member_id", "company_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # ``bot.companies.company_key(company)``, kept in step whenever ``company`` is set.
    company_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    role: Mapped[str | None] = mapped_column(String(200), nullable=True)
    how_known: Mapped[str] = mapped_column(String(16), default=HowKnown.OTHER.value)
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True
    )
    # Whether ``referred_by`` allowed the member to mention them to this contact (asked at
    # the interview that named them; None: not said). Outreach suggests it only when True.
    may_use_referrer_name: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @validates("company")
    def _key_company(self, _: str, company: str | None) -> str | None:
        self.company_key = company_key(company)
        return company


class Outreach(Base):
    """A request for a conversation, and how it went."""

    __tablename__ = "outreach"
    __table_args__ = (
        Index("ix_outreach_member_sent", "member_id", "sent_at"),
        Index("ix_outreach_status_sent", "status", "sent_at"),
        # A member's outreach in one state (/pending: awaiting a reply, scheduled).
        Index("ix_outreach_member_status", "member_id", "status"),
        # A member's outreach to one contact (every log and status change looks it up);
        # contact first, so removing a contact (/undo) finds its outreach by this index too.
        Index("ix_outreach_contact_member", "contact_id", "member_id"),
        # Weekly counts per member (leaderboards, goals, streaks) read only this index, and
        # so does the facilitator page's funnel (how much of a range's outreach got a call).
        Index("ix_outreach_member_sent_on_status", "member_id", "sent_on", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    via: Mapped[str] = mapped_column(String(16), default=Via.OTHER.value)
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=OutreachStatus.SENT.value)
    status_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scheduled_for: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The time of the call on the member's clock, when they said (/scheduled time=14:30).
    scheduled_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)  # private to the member
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Interview(Base):
    """An informational interview that was held; ``notes`` are private to the member.

    The thank-you deadline is a day on the member's calendar (``thank_you_due_on``): a
    note marked any time that day is on time, whatever the clock or zone says. So the day
    a note was marked is kept too (``thanked_on``, on the member's calendar then), and
    on-time is a comparison of two days.
    """

    __tablename__ = "interviews"
    __table_args__ = (
        Index("ix_interviews_member_held", "member_id", "held_at"),
        Index("ix_interviews_thanks_due", "thanked_at", "thank_you_due_on"),
        Index("ix_interviews_member_held_on", "member_id", "held_on"),
        Index("ix_interviews_contact_member", "contact_id", "member_id"),
        # The interview an outreach led to: what removing an outreach (/undo) has to unlink.
        Index("ix_interviews_outreach", "outreach_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    outreach_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach.id", ondelete="SET NULL"), nullable=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    via: Mapped[str | None] = mapped_column(String(16), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    referral_count: Mapped[int] = mapped_column(Integer, default=0)
    thank_you_due_on: Mapped[date] = mapped_column(Date)
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    thanked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LogKind(StrEnum):
    """What a member can log, and so take back with /undo."""

    OUTREACH = "outreach"
    INTERVIEW = "interview"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    THANKED = "thanked"


class LogEntry(Base):
    """One log a member made, with what it changed, so /undo can take exactly it back.

    ``changes`` (JSON) holds what the log overwrote or created beyond its own row: an
    outreach's earlier status, a contact's details before they were filled in, the
    contacts and referral links a logged interview added. The row it is about is named by
    ``outreach_id`` or ``interview_id`` — plain numbers, not foreign keys, so removing an
    outreach or interview looks up nothing here beyond the member's own entries, which
    ``bot/services/journal.py`` removes with it.
    """

    __tablename__ = "log_entries"
    __table_args__ = (Index("ix_log_entries_member_created", "member_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    outreach_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interview_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    changes: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
