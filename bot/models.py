"""The tables. Every row carries its tenant (``workspace_id``) so every query can be scoped.

A workspace is a Slack team, a Discord guild or a console workspace; members,
contacts, outreach and interviews all hang off it. Times are stored in UTC;
dates that only make sense on the member's calendar (the day an interview was
held, the day one is scheduled) are stored as dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot import defaults


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value if getattr(dialect, "name", "") == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reminder_hour: Mapped[int] = mapped_column(Integer, default=defaults.REMINDER_HOUR)
    quiet_start: Mapped[int] = mapped_column(Integer, default=defaults.QUIET_START)
    quiet_end: Mapped[int] = mapped_column(Integer, default=defaults.QUIET_END)
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=True)
    leaderboard_on: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when the platform refused a DM for good (closed DMs), cleared when the member is
    # told (their next private reply), turns reminders on, or a DM gets through; while set,
    # only a reminder due a week after it is tried. ``dm_closed_told`` is no longer read:
    # telling clears the state.
    dm_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    dm_closed_told: Mapped[bool] = mapped_column(Boolean, default=False)
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


class Contact(Base):
    """A person the member wants to learn from; private to that member."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_member_name", "member_id", "name_key"),
        # Who a contact introduced: what removing a contact has to unlink (/undo).
        Index("ix_contacts_referred_by", "referred_by_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    role: Mapped[str | None] = mapped_column(String(200), nullable=True)
    how_known: Mapped[str] = mapped_column(String(16), default=HowKnown.OTHER.value)
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True
    )
    # Whether ``referred_by`` allowed the member to mention them to this contact (asked at
    # the interview that named them; None: not said). Outreach suggests it only when True.
    may_use_referrer_name: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


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
        # Weekly counts per member (leaderboards, goals, streaks) read only this index.
        Index("ix_outreach_member_sent_on", "member_id", "sent_on"),
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


class Receipt(Base):
    """A platform request already handled: Slack retries and repeated interactions log once."""

    __tablename__ = "receipts"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingChoice(Base):
    """A question a member was asked instead of a guess (which Bob? which date?), with the
    command they typed: pressing one of its answers runs that command again with the
    answer filled in, so nothing they typed has to be typed again."""

    __tablename__ = "pending_choices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    command: Mapped[str] = mapped_column(String(32))
    typed: Mapped[str] = mapped_column(Text)  # JSON: the options as the member gave them
    answers: Mapped[str] = mapped_column(Text)  # JSON: per answer, the options it sets
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeploymentSecret(Base):
    """A secret the deployment made for itself (the key that signs links), shared by every
    replica through the database."""

    __tablename__ = "deployment_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkGeneration(Base):
    """How many times the links of one subject (a group's page, a member's calendar) were
    revoked: a link made in an earlier generation no longer opens."""

    __tablename__ = "link_generations"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)


class CommandKey(Base):
    """The last command that stored something for a member, keyed by what it said
    (``bot.services.command_keys``): the same command right after, within that module's
    window, is a repeat — a double submit, a re-delivery — and stores nothing."""

    __tablename__ = "command_keys"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InboxEntry(Base):
    """An answer owed to a request a platform already had acknowledged, left by a process
    that had to stop first; the next start on that platform takes it and finishes it
    (``bot.services.inbox``). ``job`` is the adapter's own JSON."""

    __tablename__ = "inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), index=True)
    job: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


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


class PlannedDay(Base):
    """A UTC day whose recurring nudges (goal check-ins, digests) were planned: once per day,
    whichever process gets there first."""

    __tablename__ = "planned_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
