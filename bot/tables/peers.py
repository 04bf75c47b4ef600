"""Peers holding each other accountable: partner rounds, who was matched with whom, and
members' weekly plans."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.tables.base import Base, UTCDateTime


class Cadence(StrEnum):
    """How often a group's partner rounds start (``/group-setup partners=…``)."""

    OFF = "off"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"


class CheckIn(StrEnum):
    """A matched member's answer to "Checked in with …?"."""

    MET = "met"
    NOT_YET = "not-yet"
    SKIP = "skip"


class Kept(StrEnum):
    """A member's answer to "Did you keep your plan?"."""

    KEPT = "kept"
    PARTLY = "partly"
    NOT = "not"

    @property
    def label(self) -> str:
        """The answer's button: the same on the Friday question and the /plan reply."""
        return {"kept": "Kept", "partly": "Partly", "not": "Not this time"}[self.value]


class PartnerRound(Base):
    """One round of a group's partners, started at the group's digest moment. Keyed by the
    week that digest reports on, so a round is created once however often it is tried."""

    __tablename__ = "partner_rounds"
    __table_args__ = (UniqueConstraint("group_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date)  # the week its digest reported on
    ends_week: Mapped[date] = mapped_column(Date)  # the week the digest that ends it reports
    size: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    midway_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PartnerMatch(Base):
    """A member's place in a round: their team (members sharing ``team`` are partners),
    their check-in answer, and when they left the group mid-round."""

    __tablename__ = "partner_matches"
    __table_args__ = (
        UniqueConstraint("round_id", "member_id"),
        Index("ix_partner_matches_member_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("partner_rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    team: Mapped[int] = mapped_column(Integer)
    # the team they were matched into, once they were moved to another (a partner left)
    first_team: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checkin: Mapped[str | None] = mapped_column(String(8), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Plan(Base):
    """A member's plan for one of their weeks (its Monday, on their calendar), in their
    own words; seen by their partners, and by the group when ``shared``."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("member_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    # the words last shared with the group: its channel post carries them even when the
    # plan is reworded afterwards without sharing again
    shared_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    kept: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
